import Foundation
import Results
import TestSupport
import XCTest

/// Reading JSON back: numbers correctly rounded, the RFC 8259 grammar enforced, and every
/// refusal located.
final class JSONParsingTests: XCTestCase {
    /// The hard cases of Fixtures/json-numbers.txt: texts and the bits Python's float()
    /// (correctly rounded) gives them, written by Fixtures/make_json_numbers.py.
    private func hardCases() throws -> [(bits: UInt64, text: String)] {
        let text = try String(contentsOf: Repository.file("Tests/ResultsTests/Fixtures/json-numbers.txt"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return (try XCTUnwrap(UInt64(fields[0], radix: 16)), String(fields[1]))
        }
    }

    private func parse(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Data(text.utf8))
    }

    private func bits(_ value: JSONValue) -> UInt64? {
        switch value {
        case .number(let number): return number.bitPattern
        case .integer(let integer): return Double(integer).bitPattern
        default: return nil
        }
    }

    /// The claim the reader rests on: Swift's Double(String) (strtod in the C locale) is
    /// correctly rounded, for traps, exact midpoints, long texts and subnormals.
    func testDoubleFromStringIsCorrectlyRoundedOnTheHardCases() throws {
        let cases = try hardCases()
        XCTAssertGreaterThan(cases.count, 4000)
        let wrong = cases.filter { Double($0.text)?.bitPattern != $0.bits }
        XCTAssertTrue(wrong.isEmpty, "\(wrong.count) misrounded, first: \(wrong.first.map { "\($0.text)" } ?? "")")
    }

    /// The same texts as one JSON document read by `JSONValue.parse` (Foundation's
    /// JSONDecoder, used before, rounds some of them to a neighbour).
    func testEveryHardCaseReadsToItsCorrectlyRoundedBits() throws {
        let cases = try hardCases()
        guard case .array(let values) = try parse("[" + cases.map(\.text).joined(separator: ", ") + "]") else {
            return XCTFail("not an array")
        }
        XCTAssertEqual(values.count, cases.count)
        let wrong = zip(cases, values).filter { bits($1) != $0.bits }
        XCTAssertTrue(wrong.isEmpty, "\(wrong.count) misrounded, first: \(wrong.first.map { "\($0.0.text) read as \($0.1)" } ?? "")")
    }

    /// A few of the traps with their bits written out (from Python's float(), e.g.
    /// float('1e23').hex() == '0x1.52d02c7e14af6p+76').
    func testKnownTrapsReadToTheirBits() throws {
        let expected: [(String, UInt64)] = [
            ("0.1", 0x3FB9_9999_9999_999A),
            ("1e23", 0x44B5_2D02_C7E1_4AF6),                       // just below the midpoint
            ("9007199254740993.0", 0x4340_0000_0000_0000),         // 2^53 + 1: a tie, to even 2^53
            ("9007199254740995.0", 0x4340_0000_0000_0002),         // 2^53 + 3: a tie, to even 2^53 + 4
            ("2.2250738585072011e-308", 0x000F_FFFF_FFFF_FFFF),    // the largest subnormal
            ("2.2250738585072012e-308", 0x0010_0000_0000_0000),    // the smallest normal
            ("4.9406564584124654e-324", 0x0000_0000_0000_0001),    // the smallest subnormal
            ("2.4703282292062327e-324", 0x0000_0000_0000_0000),    // below half of it: zero
            ("2.4703282292062328e-324", 0x0000_0000_0000_0001),    // above half of it
            ("1.7976931348623158e308", 0x7FEF_FFFF_FFFF_FFFF),     // below the overflow threshold
            ("-0.0", 0x8000_0000_0000_0000),
        ]
        for (text, pattern) in expected {
            XCTAssertEqual(bits(try parse(text)), pattern, text)
        }
    }

    /// Any Float64 written in the results file's form reads back to the same bits:
    /// 200,000 random bit patterns over every exponent, subnormals included.
    func testShortestFormRoundTripsForRandomDoubles() throws {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var values: [Double] = [.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -0.0, 0]
        while values.count < 200_000 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17   // xorshift64
            let value = Double(bitPattern: state)
            if value.isFinite { values.append(value) }
        }
        let read = try JSONValue.parse(Data(JSONValue.numbers(values).serializedBytes()))
        guard case .array(let items) = read else { return XCTFail("not an array") }
        let wrong = zip(values, items).filter { bits($1) != $0.bitPattern }
        XCTAssertTrue(wrong.isEmpty, "\(wrong.count) did not round-trip, first: \(String(describing: wrong.first))")
    }

    /// Two results one ulp apart, at zero tolerance, are one difference.
    func testDiffSeesAOneUlpDifference() throws {
        let value = 0.1 + 0.2                                   // 0.30000000000000004
        let document = { (x: Double) in
            JSONValue.object([("format", .string(ResultsFile.format)), ("loss", .number(x))]).serialized()
        }
        let left = try parse(document(value)), right = try parse(document(value.nextUp))
        XCTAssertEqual(try ResultsDiff().compare(left, right).differences.map(\.path), ["loss"])
        XCTAssertEqual(try ResultsDiff().compare(left, left).differences, [])
    }

    func testWholeNumbersThatFitAreIntegersAndTheRestAreFloat64() throws {
        XCTAssertEqual(try parse("3"), .integer(3))
        XCTAssertEqual(try parse("-42"), .integer(-42))
        XCTAssertEqual(try parse("3.0"), .number(3))
        XCTAssertEqual(try parse("1e2"), .number(100))
        XCTAssertEqual(try parse("-0"), .number(-0.0))              // keeps its sign
        XCTAssertEqual(try parse("9223372036854775807"), .integer(Int.max))
        XCTAssertEqual(try parse("9223372036854775808"), .number(0x1p63))
    }

    func testStringsAndEscapes() throws {
        XCTAssertEqual(try parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00""#), .string("a\"b\\c/d\u{8}\u{c}\n\r\té😀"))
        XCTAssertEqual(try parse("\"héllo\""), .string("héllo"))
    }

    func testObjectsKeepTheirOrderAndNestingIsRead() throws {
        let value = try parse(" \n{\"b\": [1, 2.5, {\"c\": null}], \"a\": true, \"z\": false, \"e\": {}, \"f\": []}\r\n")
        XCTAssertEqual(value, .object([
            ("b", .array([.integer(1), .number(2.5), .object([("c", .null)])])),
            ("a", .bool(true)), ("z", .bool(false)), ("e", .object([])), ("f", .array([])),
        ]))
    }

    func testAResultsFileReadsBackEqualToWhatWasWritten() throws {
        let result = try Training.run(specFile: "specs/tutorial.yaml")
        let source = ResultsFile.Source(name: "tutorial", path: "specs/tutorial.yaml", sha256: String(repeating: "0", count: 64))
        let document = ResultsFile.json(result, source: source)
        XCTAssertEqual(try JSONValue.parse(Data(document.serializedBytes())), document)
    }

    func testALeadingByteOrderMarkIsSkipped() throws {
        XCTAssertEqual(try JSONValue.parse(Data([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))), .array([.integer(1)]))
    }

    /// Each refusal says where (line, column) and what was found.
    func testNotJSONIsRefusedWithItsPlace() {
        let cases: [(String, Int, Int, String)] = [
            ("01", 1, 2, "must not start with 0"),
            ("[1.]", 1, 4, "expected a digit after the decimal point, found ']'"),
            ("[.5]", 1, 2, "expected a value"),
            ("+1", 1, 1, "expected a value"),
            ("1e", 1, 3, "expected a digit in the exponent, found the end of the text"),
            ("-", 1, 2, "expected a digit"),
            ("NaN", 1, 1, "expected a value"),
            ("[Infinity]", 1, 2, "expected a value"),
            ("[1,\n 2,]", 2, 4, "expected a value"),
            ("{\"a\": 1,\n \"a\": 2}", 2, 2, "the key \"a\" appears twice"),
            ("[1e400]", 1, 2, "the number 1e400 is beyond the largest 64-bit float"),
            ("[-1.8e308]", 1, 2, "beyond the largest 64-bit float"),
            ("[1] x", 1, 5, "expected the end of the document"),
            ("[\"abc", 1, 2, "a string is not closed"),
            ("\"a\tb\"", 1, 3, "control character (byte 9)"),
            ("\"a\\xb\"", 1, 4, "expected an escape"),
            ("\"\\udc00\"", 1, 8, "a low surrogate \\uDC00 without a high surrogate"),
            ("\"\\ud800x\"", 1, 8, "expected a low surrogate"),
            ("\"\\u12g4\"", 1, 4, "expected four hexadecimal digits"),
            ("{1: 2}", 1, 2, "expected a key in double quotes"),
            ("{\"a\" 2}", 1, 6, "expected ':' after the key \"a\""),
            ("[1 2]", 1, 4, "expected ',' or ']'"),
            ("{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}'"),
            ("", 1, 1, "expected a value, found the end of the text"),
            ("tru", 1, 1, "expected a value"),
            (String(repeating: "[", count: 513) + String(repeating: "]", count: 513), 1, 513, "nested more than 512 deep"),
        ]
        for (text, line, column, message) in cases {
            XCTAssertThrowsError(try JSONValue.parse(Data(text.utf8)), text) { error in
                guard let error = error as? JSONSyntaxError else { return XCTFail("\(text): \(error)") }
                XCTAssertEqual([error.line, error.column], [line, column], "\(text): \(error)")
                XCTAssertTrue(error.message.contains(message), "\(text): \(error)")
                XCTAssertEqual(error.localizedDescription, "line \(line), column \(column): \(error.message)")
            }
        }
        XCTAssertThrowsError(try JSONValue.parse(Data([0x22, 0xFF, 0x22])))              // not UTF-8
        XCTAssertNoThrow(try parse(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)))
    }
}
