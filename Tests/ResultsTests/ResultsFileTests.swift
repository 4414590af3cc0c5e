import Foundation
import Results
import Running
import TestSupport
import XCTest

/// The results file: key order, number form, determinism, atomic writing.
final class ResultsFileTests: XCTestCase {
    private func tutorialJSON() throws -> String {
        let result = try Training.run(specFile: "specs/tutorial.yaml")
        let bytes = Array(try Data(contentsOf: Repository.file("specs/tutorial.yaml")))
        let source = ResultsFile.Source(name: "tutorial", path: "specs/tutorial.yaml", bytes: bytes)
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

    /// sha256 of the spec bytes, checked against a published test vector of SHA-256 ("abc").
    func testSpecHashIsSHA256OfTheBytes() {
        let source = ResultsFile.Source(name: "x", path: "x", bytes: Array("abc".utf8))
        XCTAssertEqual(source.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
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

    func testAtomicWriteCreatesTheFolderAndLeavesNoTemporaryFile() throws {
        let folder = try NnrunProcess.temporaryFolder().appendingPathComponent("new/deeper")
        let path = folder.appendingPathComponent("r.json").path
        try AtomicFile.write("first\n", to: path)
        try AtomicFile.write("second\n", to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "second\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["r.json"])
    }

    func testFailedWriteLeavesTheExistingFileWhole() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let path = folder.appendingPathComponent("r.json").path
        try AtomicFile.write("kept\n", to: path)
        // Writing to a path whose "folder" is a file fails before anything is replaced.
        XCTAssertThrowsError(try AtomicFile.write("lost\n", to: path + "/inside.json"))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "kept\n")
    }
}
