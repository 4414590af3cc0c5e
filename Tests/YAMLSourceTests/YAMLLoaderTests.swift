import Diagnostics
import YAMLSource
import XCTest

/// The node tree libyaml's loader gives, and what the loader refuses.
final class YAMLLoaderTests: XCTestCase {
    private func load(_ text: String) -> Result<YAMLNode, Diagnostic> {
        YAMLLoader.load(Array(text.utf8))
    }

    private func failure(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Diagnostic? {
        guard case .failure(let diagnostic) = load(text) else {
            XCTFail("expected a load error", file: file, line: line)
            return nil
        }
        return diagnostic
    }

    func testNodesKeepOneBasedLinesAndColumns() throws {
        let root = try load("a: 1\nb:\n  - [x, \"y\"]\n").get()
        guard case .mapping(let pairs) = root.content else { return XCTFail("not a mapping") }
        XCTAssertEqual(pairs.count, 2)
        XCTAssertEqual(pairs[0].key.location, SourceLocation(line: 1, column: 1))
        XCTAssertEqual(pairs[0].value.location, SourceLocation(line: 1, column: 4))
        guard case .sequence(let outer) = pairs[1].value.content,
              case .sequence(let inner) = outer.first?.content else { return XCTFail("not nested lists") }
        XCTAssertEqual(outer[0].location, SourceLocation(line: 3, column: 5))
        XCTAssertEqual(inner[1].location, SourceLocation(line: 3, column: 9))
        guard case .scalar(let plain) = inner[0].content, case .scalar(let quoted) = inner[1].content else {
            return XCTFail("not scalars")
        }
        XCTAssertEqual(plain, .init(text: "x", isPlain: true))
        XCTAssertEqual(quoted, .init(text: "y", isPlain: false))
    }

    func testColumnsCountCharactersNotBytes() throws {
        let root = try load("é: ü\n").get()
        guard case .mapping(let pairs) = root.content else { return XCTFail("not a mapping") }
        XCTAssertEqual(pairs[0].value.location, SourceLocation(line: 1, column: 4))
    }

    func testQuotedNulCharacterIsKept() throws {
        let root = try load("a: \"x\\0y\"\n").get()
        guard case .mapping(let pairs) = root.content, case .scalar(let scalar) = pairs[0].value.content else {
            return XCTFail("not a mapping of a scalar")
        }
        XCTAssertEqual(Array(scalar.text.utf8), [0x78, 0x00, 0x79])
    }

    func testByteOrderMarkIsAccepted() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8)
        guard case .success = YAMLLoader.load(bytes) else { return XCTFail("a UTF-8 BOM must load") }
    }

    func testEmptyAndCommentOnlyFilesAreRefused() {
        XCTAssertEqual(failure("")?.message, "the spec is empty; expected a mapping starting with 'nnrun: 1'")
        XCTAssertEqual(failure("  \n\n")?.message, "the spec is empty; expected a mapping starting with 'nnrun: 1'")
        XCTAssertEqual(failure("# nothing\n")?.message, "the spec is empty; expected a mapping starting with 'nnrun: 1'")
    }

    func testSecondDocumentIsRefusedAtItsLocation() {
        let diagnostic = failure("a: 1\n---\nb: 2\n")
        XCTAssertEqual(diagnostic?.location, SourceLocation(line: 3, column: 1))
        XCTAssertEqual(diagnostic?.message, "found a second YAML document; a spec is exactly one document")
    }

    func testSyntaxErrorCarriesLibyamlsWordsAndLocation() {
        let diagnostic = failure("a: [1, 2\nb: 3\n")
        XCTAssertEqual(diagnostic?.location.line, 2)
        XCTAssertTrue(diagnostic?.message.hasPrefix("YAML syntax error: ") ?? false, diagnostic?.message ?? "")
    }

    func testInvalidUTF8IsLocatedFromTheByteOffset() {
        let bytes = Array("a: 1\nb: ".utf8) + [0xFF] + Array("\n".utf8)
        guard case .failure(let diagnostic) = YAMLLoader.load(bytes) else { return XCTFail("expected an error") }
        XCTAssertEqual(diagnostic.location, SourceLocation(line: 2, column: 4))
        XCTAssertTrue(diagnostic.message.hasPrefix("the file is not valid UTF-8"), diagnostic.message)
    }

    func testAliasesAreRefusedAtTheAnchor() {
        let diagnostic = failure("a: &x [1, 2]\nb: *x\n")
        XCTAssertEqual(diagnostic?.location, SourceLocation(line: 1, column: 4))
        XCTAssertTrue(diagnostic?.message.contains("anchors and aliases") ?? false)
    }

    /// "Billion laughs": nine levels of ten aliases each would expand to 10^9 nodes.
    /// It is refused at the first repeated node, without expansion.
    func testAliasBombIsRefusedWithoutExpansion() {
        var text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let previous = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
            text += "l\(level): &l\(level) [\(previous)]\n"
        }
        let started = ContinuousClock.now
        let diagnostic = failure(text)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5), "must not expand the aliases")
        XCTAssertTrue(diagnostic?.message.contains("anchors and aliases") ?? false)
    }

    func testDeepNestingIsRefused() {
        let text = String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n"
        let diagnostic = failure(text)
        XCTAssertEqual(diagnostic?.message, "the document nests deeper than 64 levels, far deeper than any spec")
        XCTAssertEqual(diagnostic?.location, SourceLocation(line: 1, column: 65))
    }

    func testOversizedFileIsRefusedBeforeParsing() {
        var limits = YAMLLoader.Limits()
        limits.maxBytes = 10
        guard case .failure(let diagnostic) = YAMLLoader.load(Array("a: 12345678901\n".utf8), limits: limits) else {
            return XCTFail("expected an error")
        }
        XCTAssertEqual(diagnostic.message, "the file is 15 bytes; specs are limited to 10 bytes")
    }
}
