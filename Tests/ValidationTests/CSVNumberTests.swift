import Foundation
import Validation
import XCTest

/// CSV numbers are parsed from their bytes with C's `strtod` (`Validator.decimalValue`)
/// instead of through a `String` per field; the independent source is the standard
/// library's `Double(String)`, which the reader used before. Both are correctly rounded, so
/// every text must give the same bits.
final class CSVNumberTests: XCTestCase {
    private func parsed(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { Validator.decimalValue($0) }
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
            let mantissa = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            let text = (mantissa.hasPrefix(".") ? "0" : "") + (mantissa.hasSuffix(".") ? mantissa + "0" : mantissa)
                + "e\(Int.random(in: -340...320, using: &generator))"
            assertSameBits(text)
        }
    }

    func testTextThatIsNotADecimalIsLeftToTheStringConversion() {
        XCTAssertNil(parsed("1.5x"))
        XCTAssertNil(parsed("abc"))
    }
}
