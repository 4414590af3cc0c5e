/// The Float64 nearest to a decimal number w × 10^q (w at most 19 digits), correctly
/// rounded (ties to even), without the arbitrary-precision arithmetic of `strtod`:
///
/// - Clinger's fast path (1990): when w ≤ 2^53 and |q| ≤ 22, w and 10^|q| are exact
///   Float64 values and the one rounded operation w × 10^q or w / 10^-q is the answer.
/// - Otherwise the Eisel–Lemire algorithm (D. Lemire, "Number parsing at a gigabyte per
///   second", Software: Practice and Experience 51(8), 2021): w, shifted so that its
///   leading one is bit 63, times the leading 128 bits of 5^q (`powersOfFive`) gives the
///   leading bits of w × 5^q; the power of two comes from q log2(10) and the shift. When
///   the product's bits below the 55 it needs could still carry into them, the next 64
///   bits of 5^q are multiplied in. When even then the truncated product cannot decide the
///   rounding, the answer is nil and the caller asks `strtod`.
///
/// The independent check is `Double(String)` (`CSVNumberTests`: random 17- to 19-digit
/// numbers across the whole exponent range, exact halfway cases, subnormals, the largest
/// finite values).
enum NearestDouble {
    /// w × 10^q rounded to the nearest Float64 (negated when `negative`), or nil when the
    /// 128-bit product cannot decide the rounding.
    static func value(significand w: UInt64, exponent q: Int, negative: Bool) -> Double? {
        let sign: UInt64 = negative ? 1 << 63 : 0
        if w == 0 || q < smallestPowerOfFive { return Double(bitPattern: sign) }
        if q > largestPowerOfFive { return Double(bitPattern: sign | infinityBits) }
        if w <= 1 << 53, q >= -22, q <= 22 {
            let power = exactPowersOfTen[q < 0 ? -q : q]
            let magnitude = q >= 0 ? Double(w) * power : Double(w) / power
            return negative ? -magnitude : magnitude
        }
        let leadingZeros = w.leadingZeroBitCount
        let normalized = w &<< UInt64(leadingZeros)
        let index = 2 * (q - smallestPowerOfFive)
        var (high, low) = normalized.multipliedFullWidth(by: powersOfFive[index])
        // 52 bits of mantissa, a rounding bit and a bit the product's leading one may take:
        // the bits below them in `high` all ones means the next word could carry into them.
        if high & 0x1FF == 0x1FF {
            let next = normalized.multipliedFullWidth(by: powersOfFive[index + 1]).high
            let (sum, carried) = low.addingReportingOverflow(next)
            low = sum
            if carried { high &+= 1 }
        }
        // Still all ones below: more of 5^q could change the rounding. The paper shows this
        // cannot matter for q in [-27, 55]; elsewhere leave it to strtod.
        if low == .max, q < -27 || q > 55 { return nil }

        let upperBit = Int(high >> 63)
        let shift = upperBit + 64 - 52 - 3
        var mantissa = high >> UInt64(shift)
        // floor(log2(5^q)) + q as (217706 q) >> 16 (217706 / 2^16 approximates log2(10);
        // exact for q in (-400, 350)), then 63 for the product's leading bit and 1023 for
        // the exponent's bias.
        var biasedExponent = ((217_706 * q) >> 16) + 63 + upperBit - leadingZeros + 1023
        if biasedExponent <= 0 {
            // Subnormal (or zero): shift down to the fixed exponent, then round half up; ties
            // cannot occur here for at most 19 digits.
            if -biasedExponent + 1 >= 64 { return Double(bitPattern: sign) }
            mantissa >>= UInt64(-biasedExponent + 1)
            mantissa += mantissa & 1
            mantissa >>= 1
            // Rounding up may reach the smallest normal number: its exponent field is 1.
            biasedExponent = mantissa < 1 << 52 ? 0 : 1
            return Double(bitPattern: sign | UInt64(biasedExponent) << 52 | mantissa)
        }
        // Exactly halfway between two Float64 values (only possible for q in [-4, 23], when
        // nothing nonzero was shifted out): round to even instead of up.
        if low <= 1, q >= -4, q <= 23, mantissa & 3 == 1, mantissa &<< UInt64(shift) == high {
            mantissa &= ~1
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= 2 << 52 {   // rounding carried into a new leading bit
            mantissa = 1 << 52
            biasedExponent += 1
        }
        mantissa &= ~(1 << 52)
        if biasedExponent >= 0x7FF { return Double(bitPattern: sign | infinityBits) }
        return Double(bitPattern: sign | UInt64(biasedExponent) << 52 | mantissa)
    }

    private static let infinityBits: UInt64 = 0x7FF << 52

    /// 10^0 ... 10^22, each exact in a Float64 (10^22 = 2^22 * 5^22, and 5^22 < 2^53).
    private static let exactPowersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                                     1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]
}
