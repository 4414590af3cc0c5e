import Foundation
import Spec
import Validation
import XCTest

/// CSV numbers are parsed from their bytes (`Validator.jsonNumberValue`: the Eisel–Lemire
/// algorithm for up to 19 significant digits, C's `strtod` beyond) instead of through a
/// `String` per field; the independent source is the standard library's `Double(String)`,
/// which the reader used before. Both are correctly rounded, so every text must give the
/// same bits. Which texts are numbers at all is `NumberSyntax`'s JSON grammar.
final class CSVNumberTests: XCTestCase {
    private func parsed(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { Validator.jsonNumberValue($0) }
    }

    private func assertSameBits(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = Double(text)
        let found = parsed(text)
        XCTAssertEqual(found?.bitPattern, expected?.bitPattern, "'\(text)': \(String(describing: found)) against \(String(describing: expected))",
                       file: file, line: line)
    }

    func testEdgeCasesGiveDoubleStringsBits() {
        for text in ["0", "-0", "0.0", "1", "-1", "0.1", "0.5", "1e-400", "-1e-400", "1e400", "-1e400", "4e-320",
                     "2.4703282292062327e-324", "2.4703282292062328e-324", "4.9406564584124654e-324",
                     "2.2250738585072011e-308", "2.2250738585072014e-308", "1.7976931348623157e308",
                     "1.7976931348623158e308", "1.7976931348623159e308", "9007199254740993", "9007199254740992.5",
                     "0.30000000000000004", "123456789012345678901234567890", "1E5", "1e+5", "1e-5",
                     "7.0064923216240861e-46", "0." + String(repeating: "0", count: 300) + "1",
                     "1." + String(repeating: "9", count: 40)] {
            assertSameBits(text)
        }
    }

    /// Random doubles in shortest and 17-digit form, and random digit strings of up to 40
    /// digits with random exponents (many halfway-close cases among them).
    func testRandomDecimalsGiveDoubleStringsBits() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let value = Double(bitPattern: UInt64.random(in: 0..<0x7FF0_0000_0000_0000, using: &generator))
            assertSameBits(value.description)
            assertSameBits(String(format: "%.17g", value))
            assertSameBits(String(format: "%.16e", -value))
        }
        for _ in 0..<20_000 {
            let digits = (0..<Int.random(in: 1...40, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            let point = Int.random(in: 0...digits.count, using: &generator)
            // The JSON grammar's integer part: no leading zeros, "0" when there are no others.
            let whole = digits.prefix(point).drop { $0 == "0" }
            let fraction = digits.dropFirst(point)
            let text = (whole.isEmpty ? "0" : String(whole)) + "." + (fraction.isEmpty ? "0" : String(fraction))
                + "e\(Int.random(in: -340...320, using: &generator))"
            assertSameBits(text)
        }
    }

    /// 17 to 19 significant digits, the forms `repr` and `%.17g` write, with the point
    /// anywhere and exponents over the whole range: the numbers that go through
    /// Eisel–Lemire rather than the exact fast path.
    func testSeventeenToNineteenDigitsAcrossTheExponentRangeGiveDoubleStringsBits() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let digits = String(UInt64.random(in: 10_000_000_000_000_000...9_999_999_999_999_999_999, using: &generator))
                .prefix(Int.random(in: 17...19, using: &generator))
            let point = Int.random(in: 1...digits.count, using: &generator)
            let mantissa = point == digits.count ? String(digits) : digits.prefix(point) + "." + digits.dropFirst(point)
            let exponent = Int.random(in: -345...310, using: &generator)
            assertSameBits((Bool.random(using: &generator) ? "-" : "") + mantissa + "e\(exponent)")
        }
    }

    /// Near the ends of the Float64 range: the subnormals, the smallest normal number, the
    /// largest finite value and the first that overflows.
    func testNumbersNearUnderflowAndOverflowGiveDoubleStringsBits() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50_000 {
            let digits = String(UInt64.random(in: 1...9_999_999_999_999_999_999, using: &generator))
            let exponent = Bool.random(using: &generator) ? Int.random(in: -345 ... -300, using: &generator)
                                                           : Int.random(in: 285...310, using: &generator)
            assertSameBits(digits + "e\(exponent)")
        }
    }

    /// Exactly halfway between two Float64 values, with at most 19 digits: an odd O in
    /// [2^53, 2^54) needs 54 bits, so O × 2^j lies halfway between (O - 1) 2^j and
    /// (O + 1) 2^j and must round to the one whose 53-bit mantissa, (O ± 1) / 2, is even.
    /// Written as w × 10^q: with O = 5^q r (q >= 0) as w = r 2^(j - q), and for q < 0 as
    /// w = O 5^-q 2^(j - q); so q runs over [-4, 23], where such ties can be written.
    func testExactHalfwayCasesRoundToEven() {
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for q in -4...23 {
            let five = (0..<abs(q)).reduce(UInt64(1)) { value, _ in value * 5 }
            for _ in 0..<400 {
                let odd: UInt64, w: UInt64
                let j = Int.random(in: max(q, -abs(q))...max(q, -abs(q)) + 8, using: &generator)
                if q >= 0 {
                    // r odd with 5^q r in [2^53, 2^54).
                    let low = ((UInt64(1) << 53) + five - 1) / five, high = ((UInt64(1) << 54) - 1) / five
                    guard low <= high else { continue }
                    let r = UInt64.random(in: low...high, using: &generator) | 1
                    guard r <= high else { continue }
                    odd = five * r
                    let shift = j - q
                    guard shift < 64, r.leadingZeroBitCount > shift, (r << UInt64(shift)) < 10_000_000_000_000_000_000 else { continue }
                    w = r << UInt64(shift)
                } else {
                    odd = UInt64.random(in: (UInt64(1) << 53)...((UInt64(1) << 54) - 1), using: &generator) | 1
                    let shift = j - q   // j >= q here, since j >= -|q| = q
                    let (scaled, overflow) = odd.multipliedReportingOverflow(by: five)
                    guard !overflow, shift < 64, scaled.leadingZeroBitCount > shift,
                          (scaled << UInt64(shift)) < 10_000_000_000_000_000_000 else { continue }
                    w = scaled << UInt64(shift)
                }
                let text = "\(w)e\(q)"
                assertSameBits(text)
                // The tie's even neighbour, worked out without parsing: (O ± 1) 2^j.
                let even = (odd - 1) / 2 % 2 == 0 ? odd - 1 : odd + 1
                XCTAssertEqual(parsed(text), Double(sign: .plus, exponent: j, significand: Double(even)), text)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 5_000)
    }

    /// Which texts are numbers is the JSON grammar's to say (RFC 8259, section 6), here as
    /// a regular expression: random short strings over the characters numbers are made of,
    /// and a few others. `NumberSyntax`, which the spec's numbers go through, must agree.
    func testExactlyTheJSONNumbersAreRead() {
        XCTAssertNil(parsed("1.5x"))
        XCTAssertNil(parsed("abc"))
        for text in [".5", "1.", "01", "+1", "1e", "1e+", "-", "", "--1", "1.2.3", "1e5.5", "0x10", "1_000", " 1"] {
            XCTAssertNil(parsed(text), text)
        }
        let jsonNumber = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789-+.eE")
        for _ in 0..<100_000 {
            let text = String((0..<Int.random(in: 1...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let isNumber = text.wholeMatch(of: jsonNumber) != nil
            XCTAssertEqual(parsed(text) != nil, isNumber, text)
            XCTAssertEqual(NumberSyntax.isJSONNumber(text), isNumber, text)
            if isNumber { assertSameBits(text) }
        }
    }
}
