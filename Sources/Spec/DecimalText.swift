/// A number's text in the JSON grammar (`NumberSyntax`), read in one pass over its bytes:
///
///     number  = [ "-" ] int [ frac ] [ exp ]
///     int     = "0" | digit1-9 *digit
///     frac    = "." 1*digit
///     exp     = ("e" | "E") [ "+" | "-" ] 1*digit
///
/// collecting what the Validation module's `NearestDouble` needs to round it: the value is
/// ±significand × 10^exponent when `significantDigits` is at most 19. Nil for bytes that
/// are not such a number. The one implementation of the grammar (`NumberSyntax` asks it).
public struct DecimalText {
    public private(set) var negative = false
    /// The digits from the first nonzero one on, without the point, while there are at most 19.
    public private(set) var significand: UInt64 = 0
    /// Digits from the first nonzero one to the last, in the integer part and the fraction.
    public private(set) var significantDigits = 0
    /// The decimal exponent of the significand's last digit (exact while
    /// `significantDigits` <= 19; an exponent written with more than six digits is capped,
    /// which only moves values already far below the smallest or above the largest Float64).
    public private(set) var exponent = 0

    public init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count, zero = UInt8(ascii: "0")
        var index = 0
        if index < count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < count, case let first = bytes[index] &- zero, first < 10 else { return nil }
        index += 1
        if first != 0 {   // "0" stands alone; any other first digit may have more after it
            take(first)
            while index < count, case let digit = bytes[index] &- zero, digit < 10 {
                take(digit)
                index += 1
            }
            // Integer digits past the 19th were counted but not kept; the significand's last
            // digit then sits that many places up. Only matters when this is <= 19: then 0.
            exponent = max(0, significantDigits - 19)
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < count, case let digit = bytes[index] &- zero, digit < 10 {
                if significantDigits > 0 || digit != 0 { take(digit) }
                index += 1
            }
            guard index > fractionStart else { return nil }
            exponent -= index - fractionStart
        }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {   // 'e' or 'E'
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let digitsStart = index
            var written = 0
            while index < count, case let digit = bytes[index] &- zero, digit < 10 {
                if written < 100_000 { written = written * 10 + Int(digit) }
                index += 1
            }
            guard index > digitsStart else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == count else { return nil }
    }

    /// One significant digit: kept while there are at most 19, counted always.
    private mutating func take(_ digit: UInt8) {
        if significantDigits < 19 { significand = significand &* 10 &+ UInt64(digit) }
        significantDigits += 1
    }
}
