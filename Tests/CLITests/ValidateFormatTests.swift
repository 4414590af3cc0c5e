import Diagnostics
import Foundation
import TestSupport
import XCTest

/// `nnrun validate --format json|github`: diagnostics as data for CI (Docs/cli.md).
final class ValidateFormatTests: XCTestCase {
    func testJSONFormatIsOneArrayOfEveryDiagnosticWithItsFields() throws {
        let bad = Repository.file("Tests/ValidationTests/BadSpecs/duplicate-key.yaml").path
        let tutorial = Repository.file("specs/tutorial.yaml").path
        let output = try NnrunProcess.run(["validate", "--format", "json", bad, tutorial, "no-such-spec.yaml"])
        XCTAssertEqual(output.status, 66, "a missing file outranks an invalid one, as in text form")
        XCTAssertEqual(output.stderr, "")
        let array = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.count, 2)
        // duplicate-key.yaml's header: "# expect: 22:3: error[NN2003]: training.learning_rate: duplicate key
        // 'learning_rate' (first defined at line 20)", fix "keep one of the two", a note at 20:3.
        let first = array[0]
        XCTAssertEqual(first["id"] as? String, "NN2003")
        XCTAssertEqual(first["name"] as? String, "duplicate-key")
        XCTAssertEqual(first["severity"] as? String, "error")
        XCTAssertEqual(first["file"] as? String, bad)
        XCTAssertEqual(first["line"] as? Int, 22)
        XCTAssertEqual(first["column"] as? Int, 3)
        XCTAssertEqual(first["path"] as? String, "training.learning_rate")
        XCTAssertEqual(first["message"] as? String, "duplicate key 'learning_rate' (first defined at line 20)")
        XCTAssertEqual(first["fix"] as? String, "keep one of the two")
        let notes = try XCTUnwrap(first["notes"] as? [[String: Any]])
        XCTAssertEqual(notes.first?["line"] as? Int, 20)
        XCTAssertEqual(notes.first?["column"] as? Int, 3)
        XCTAssertEqual(array[1]["id"] as? String, "NN0002")
        XCTAssertEqual(array[1]["file"] as? String, "no-such-spec.yaml")
        XCTAssertEqual(array[1]["message"] as? String, "cannot read the spec: no such file")

        let valid = try NnrunProcess.run(["validate", "--format", "json", tutorial])
        XCTAssertEqual(valid.status, 0)
        XCTAssertEqual(valid.stdout, "[]\n")
    }

    func testGitHubFormatPrintsOneAnnotationPerDiagnostic() throws {
        let bad = Repository.file("Tests/ValidationTests/BadSpecs/unknown-activation-typo.yaml")
        let header = try CorpusHeader(String(contentsOf: bad, encoding: .utf8), name: bad.lastPathComponent)
        let output = try NnrunProcess.run(["validate", "--format", "github", bad.path])
        XCTAssertEqual(output.status, 65)
        let lines = output.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, header.expectations.count)
        for (line, expectation) in zip(lines, header.expectations) {
            let location = expectation.summary.split(separator: ":").prefix(2)
            let id = try XCTUnwrap(expectation.id)
            let file = bad.path.replacingOccurrences(of: ",", with: "%2C").replacingOccurrences(of: ":", with: "%3A")
            XCTAssertTrue(line.hasPrefix("::error file=\(file),line=\(location[0]),col=\(location[1]),title=\(id) "), String(line))
        }
    }

    /// GitHub's runner unescapes %25, %0D, %0A in the message and also %3A, %2C in the
    /// properties (actions/toolkit, command.ts); anything else would end the command early.
    func testGitHubAnnotationsEscapePercentLineBreaksAndPropertySeparators() {
        let diagnostic = Diagnostic(.init(.unknownKey, "100% sure\r\nnot", fix: "a, b: c"),
                                    at: SourceLocation(line: 3, column: 4), path: .root / "x")
        let text = GitHubAnnotation.render(FileDiagnostic(file: "dir,a:b/%.yaml", diagnostic: diagnostic))
        XCTAssertEqual(text, "::error file=dir%2Ca%3Ab/%25.yaml,line=3,col=4,title=NN2002 unknown-key::x: 100%25 sure%0D%0Anot%0Afix: a, b: c")
    }

    /// Quotes, backslashes and control characters from a spec cannot break the JSON document.
    func testJSONEscapesQuotesBackslashesAndControlCharacters() throws {
        let diagnostic = Diagnostic(.init(.unknownActivation, "unknown activation 'a\"b\\c\u{1B}\td'"),
                                    at: .startOfFile, path: .root / "model")
        let text = DiagnosticJSON.render([FileDiagnostic(file: "f.yaml", diagnostic: diagnostic)])
        XCTAssertTrue(text.contains(#""message": "unknown activation 'a\"b\\c\u001B\td'""#), text)
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        XCTAssertEqual(parsed.first?["message"] as? String, "unknown activation 'a\"b\\c\u{1B}\td'")
        XCTAssertTrue(parsed.first?["fix"] is NSNull)
    }
}
