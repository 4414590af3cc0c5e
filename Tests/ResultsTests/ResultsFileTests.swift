import Foundation
import Pipeline
import Results
import Running
import TestSupport
import XCTest

/// The results file: key order, number form, determinism.
final class ResultsFileTests: XCTestCase {
    private func tutorialJSON() throws -> String {
        let result = try Training.run(specFile: "specs/tutorial.yaml")
        let bytes = Array(try Data(contentsOf: Repository.file("specs/tutorial.yaml")))
        let source = ResultsFile.Source(name: "tutorial", path: "specs/tutorial.yaml", sha256: FileDigest.sha256(bytes))
        return ResultsFile.json(result, source: source).serialized()
    }

    /// The order the core issue prescribes.
    func testTopLevelKeysAreInTheDocumentedOrder() throws {
        let text = try tutorialJSON()
        let keys = ["\"format\"", "\"math_version\"", "\"spec\"", "\"status\"", "\"steps\"", "\"initial\"", "\"final\"", "\"history\"", "\"trace\""]
        let positions = keys.map { key in text.range(of: "\n  \(key): ")?.lowerBound }
        XCTAssertFalse(positions.contains(nil), "a top-level key is missing")
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted())
        XCTAssertTrue(text.hasPrefix("{\n  \"format\": \"nnrun.results/1\",\n  \"math_version\": 1,\n  \"spec\": {\n    \"name\": \"tutorial\",\n    \"path\": \"specs/tutorial.yaml\",\n    \"sha256\": "))
    }

    func testSameSpecGivesIdenticalBytes() throws {
        XCTAssertEqual(try tutorialJSON(), try tutorialJSON())
    }

    /// Every number reads back to the same Float64 bits (shortest round-trip form).
    /// Parsed with `Double(String)` (strtod): corelibs' JSONSerialization rounds some
    /// 17-digit numbers on Linux, so it cannot serve as the reader here.
    func testNumbersRoundTripExactly() throws {
        let result = try Training.run(specFile: "specs/tutorial.yaml")
        let text = try tutorialJSON()
        let historyLine = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("    \"loss\": [") })
        let numbers = historyLine.drop { $0 != "[" }.dropFirst().dropLast()
            .split(separator: ", ").map { Double(String($0)) }
        XCTAssertEqual(numbers.count, result.history.loss.count)
        let mismatches = zip(numbers, result.history.loss).filter { $0?.bitPattern != $1.bitPattern }
        XCTAssertTrue(mismatches.isEmpty, "first mismatch: \(String(describing: mismatches.first))")
        // And the document as a whole is JSON.
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(text.utf8)))
    }

    func testSerializationOfScalarsAndEscapes() {
        let value = JSONValue.object([
            ("small", .number(1e-9)), ("whole", .number(100)), ("negative zero", .number(-0.0)),
            ("nan", .number(.nan)), ("count", .integer(3)), ("text", .string("a\"b\\c\n\u{1}")),
            ("row", .numbers([0.1, 0.2])), ("empty", .object([])), ("none", .null), ("flag", .bool(false)),
        ])
        XCTAssertEqual(value.serialized(), """
            {
              "small": 1e-09,
              "whole": 100.0,
              "negative zero": -0.0,
              "nan": null,
              "count": 3,
              "text": "a\\"b\\\\c\\n\\u0001",
              "row": [0.1, 0.2],
              "empty": {},
              "none": null,
              "flag": false
            }

            """)
    }
}
