import CKernels

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
///   elementary function is the natural logarithm, nnrun's own `nn_log_value` (CKernels,
///   Docs/math.md), built from IEEE arithmetic alone so it does not depend on the C library.
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
                let factor = (-2 * nn_log_value(s) / s).squareRoot()
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
}

/// SplitMix64 (Steele, Lea and Flood, 2014): expands a seed into xoshiro's state, and
/// derives the layers' seeds from the spec's (`SeedDerivation`, Planning).
public struct SplitMix64 {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
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
