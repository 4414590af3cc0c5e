import Results
import XCTest

/// The serializer writes integers digit by digit and the numbers of one-line arrays without
/// a call per item; the expected text comes from the standard library's own `description`
/// of each value (an independent formatter), joined as the documented layout says.
final class JSONNumberWritingTests: XCTestCase {
    func testIntegersAreWrittenAsTheirDecimalDescription() {
        var values = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 10_000, 123_456_789, Int.max, Int.min, -1, -10, -1_000_001]
        for exponent in 0...18 {
            var power = 1
            for _ in 0..<exponent { power *= 10 }
            values += [power - 1, power, power + 1, -power]
        }
        for value in values {
            XCTAssertEqual(JSONValue.integer(value).serialized(), "\(value.description)\n", "\(value)")
        }
        let array = JSONValue.array(values.map(JSONValue.integer))
        XCTAssertEqual(array.serialized(), "[" + values.map(\.description).joined(separator: ", ") + "]\n")
    }

    func testOneLineArraysMixNumbersIntegersAndOtherScalars() {
        let array = JSONValue.array([.number(0.1), .integer(3), .number(-0.0), .number(.infinity), .null, .bool(true),
                                     .string("a\"b"), .number(1e-9), .number(.nan)])
        XCTAssertEqual(array.serialized(), "[0.1, 3, -0.0, null, null, true, \"a\\\"b\", 1e-09, null]\n")
    }
}
