/// The random numbers behind initial weights and shuffling: a fixed, documented
/// algorithm implemented here, so a seed gives the same numbers on every machine and in
/// every version of nnrun (Docs/random.md).
///
/// - Generator: xoshiro256** 1.0 (Blackman and Vigna, 2018), 64-bit outputs.
/// - Seeding: the four state words are the first four outputs of SplitMix64 started at
///   the seed (the seeding the xoshiro authors recommend).
/// - Uniform on [0, 1): the top 53 bits of an output times 2^-53.
/// - Standard normal: Marsaglia's polar method on pairs of uniforms on (-1, 1); both
///   values of an accepted pair are used, first u-based then v-based. Its only
///   elementary function is the natural logarithm, which is `RandomSource.log` below,
///   built from IEEE arithmetic alone (after fdlibm) so it does not depend on the C library.
public struct RandomSource: Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    private var spareNormal: Double?

    public init(seed: UInt64) {
        var splitMix = SplitMix64(state: seed)
        state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
    }

    /// A generator with the given raw xoshiro256** state (not all zero), for checking
    /// against the reference implementation's published outputs.
    public init(rawState: (UInt64, UInt64, UInt64, UInt64)) {
        state = rawState
    }

    /// The first output of SplitMix64 started at `seed`.
    public static func splitMix64(_ seed: UInt64) -> UInt64 {
        var generator = SplitMix64(state: seed)
        return generator.next()
    }

    /// The next 64-bit output of xoshiro256**.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// Uniform on [0, 1): (next() >> 11) * 2^-53, every value a multiple of 2^-53.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform on [low, high): low + (high - low) * uniform().
    public mutating func uniform(low: Double, high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// Standard normal by Marsaglia's polar method:
    /// u, v = 2 uniform() - 1 until 0 < s = u^2 + v^2 < 1; then u f and v f with
    /// f = sqrt(-2 ln(s) / s).
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * RandomSource.log(s) / s).squareRoot()
                spareNormal = v * factor
                return u * factor
            }
        }
    }

    /// mean + std * normal().
    public mutating func normal(mean: Double, std: Double) -> Double {
        mean + std * normal()
    }

    /// A uniformly random permutation of 0..<count (Fisher-Yates, drawing
    /// j = floor(uniform() * (i + 1)) for i from count - 1 down to 1).
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        var i = count - 1
        while i > 0 {
            let j = min(i, Int(uniform() * Double(i + 1)))
            order.swapAt(i, j)
            i -= 1
        }
        return order
    }

    /// Natural logarithm for positive finite x from IEEE operations only, after fdlibm's
    /// e_log.c (error below one ulp): x = 2^k m with m in [sqrt(2)/2, sqrt(2)),
    /// f = m - 1, s = f / (2 + f), and
    ///
    ///     ln x = k ln2 + f - (f^2/2 - s (f^2/2 + R(s^2)))
    ///
    /// where ln(1 + f) = 2 atanh(s) = 2s + s R(s^2) and R(z) = Lg1 z + ... + Lg7 z^7 is
    /// fdlibm's minimax fit of that series on |s| < 0.1716 (Lg_i close to 2/(2i+1)).
    /// ln 2 is split in a 32-bit high part and the rest so that k ln2_hi is exact.
    /// Unlike e_log.c there is no |f| < 2^-20 shortcut and no separate k = 0 form, and
    /// m is compared with sqrt(2) as a whole double; Docs/random.md gives the steps exactly.
    public static func log(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "RandomSource.log takes positive finite numbers")
        var m = x.significand          // in [1, 2), also for subnormal x
        var k = Double(x.exponent)
        if m > 1.4142135623730951 { m /= 2; k += 1 }
        let ln2High = 6.93147180369123816490e-01
        let ln2Low = 1.90821492927058770002e-10
        let lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01
        let lg3 = 2.857142874366239149e-01, lg4 = 2.222219843214978396e-01
        let lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01
        let lg7 = 1.479819860511658591e-01
        let f = m - 1
        let s = f / (2 + f)
        let z = s * s
        let w = z * z
        let t1 = w * (lg2 + w * (lg4 + w * lg6))
        let t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)))
        let r = t2 + t1
        let halfSquare = 0.5 * f * f
        return k * ln2High - ((halfSquare - (s * (halfSquare + r) + k * ln2Low)) - f)
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014), used only to expand a seed into state.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}
