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

    // MARK: Locations counted as the file is written

    private func utf16LittleEndian(_ text: String, then units: [UInt16] = []) -> [UInt8] {
        [0xFF, 0xFE] + (Array(text.utf16) + units).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    /// libyaml gives a UTF-16 reader error as a byte offset (BOM included); 'a: b' is 4 characters.
    func testUTF16ReaderErrorIsLocatedInCharacters() {
        guard case .failure(let diagnostic) = YAMLLoader.load(utf16LittleEndian("a: b", then: [0xDC00, 0x0A])) else {
            return XCTFail("expected an error")
        }
        XCTAssertEqual(diagnostic.location, SourceLocation(line: 1, column: 5))
        XCTAssertEqual(diagnostic.message, "the file is not valid UTF-8 or UTF-16 text: unexpected low surrogate area")
    }

    /// A surrogate pair (one emoji) is one column: '😀: ' is 3 characters.
    func testUTF16SurrogatePairIsOneColumnBeforeAReaderError() {
        guard case .failure(let diagnostic) = YAMLLoader.load(utf16LittleEndian("x: 1\n😀: ", then: [0xDC00])) else {
            return XCTFail("expected an error")
        }
        XCTAssertEqual(diagnostic.location, SourceLocation(line: 2, column: 4))
    }

    /// CR alone and CRLF each end one line; 'b: ' is 3 characters.
    func testReaderErrorCountsCRAndCRLFAsLineBreaks() {
        for lineEnd in ["\r", "\r\n", "\n"] {
            let bytes = Array("a: 1\(lineEnd)c: 2\(lineEnd)b: ".utf8) + [0x00] + Array(lineEnd.utf8)
            guard case .failure(let diagnostic) = YAMLLoader.load(bytes) else { return XCTFail("expected an error") }
            XCTAssertEqual(diagnostic.location, SourceLocation(line: 3, column: 4), lineEnd.debugDescription)
        }
    }

    /// libyaml says "found character that cannot start any token" at the tab (3:1); the fix names it.
    func testTabIsNamedInAFileWithCRLineEnds() {
        let diagnostic = failure("a: 1\rb:\r\t- c\r")
        XCTAssertEqual(diagnostic?.location, SourceLocation(line: 3, column: 1))
        XCTAssertEqual(diagnostic?.fix, "indent with spaces, not tabs (YAML does not allow tabs for indentation)")
    }

    // MARK: YAML 1.2 characters

    private func scalar(_ key: String, in root: YAMLNode) -> YAMLNode? {
        guard case .mapping(let pairs) = root.content else { return nil }
        return pairs.first { if case .scalar(let scalar) = $0.key.content { scalar.text == key } else { false } }?.value
    }

    /// YAML 1.1 (libyaml) ends a line at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR; YAML 1.2
    /// reads them as characters, in comments and scalars alike, and so does nnrun.
    func testNextLineAndSeparatorsAreCharactersNotLineBreaks() throws {
        let root = try load("# one\u{2028}two: x\na: \"x\u{2028}y\"\nb: x\u{85}y\n# c\u{2029}d\nc: 1\n").get()
        guard case .scalar(let a) = scalar("a", in: root)?.content, case .scalar(let b) = scalar("b", in: root)?.content
        else { return XCTFail("a and b must be scalars") }
        XCTAssertEqual(a.text, "x\u{2028}y")
        XCTAssertEqual(b.text, "x\u{85}y")
        XCTAssertEqual(scalar("c", in: root)?.location, SourceLocation(line: 5, column: 4))
    }

    func testSeparatorInUTF16IsACharacter() throws {
        let root = try YAMLLoader.load(utf16LittleEndian("# c\u{2028}d: e\na: 1\n")).get()
        XCTAssertEqual(scalar("a", in: root)?.location, SourceLocation(line: 2, column: 4))
    }

    /// The character that stands in for U+2028 while libyaml reads the file must not be one an
    /// escape in the file produces: "\uE000" stays U+E000.
    func testEscapedCharacterIsNotTakenForALineSeparator() throws {
        let root = try load("# c\u{2028}d\na: \"\\uE000\"\nb: \"\u{E001}\"\n").get()
        guard case .scalar(let a) = scalar("a", in: root)?.content, case .scalar(let b) = scalar("b", in: root)?.content
        else { return XCTFail("a and b must be scalars") }
        XCTAssertEqual(a.text, "\u{E000}")
        XCTAssertEqual(b.text, "\u{E001}")
    }

    // MARK: Byte-order marks and directives

    func testSecondByteOrderMarkIsRefusedAtTheStartOfLineOne() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8)
        guard case .failure(let diagnostic) = YAMLLoader.load(bytes) else { return XCTFail("expected an error") }
        XCTAssertEqual(diagnostic.location, SourceLocation(line: 1, column: 1))
        XCTAssertEqual(diagnostic.message, "the file starts with a second byte-order mark (U+FEFF)")
    }

    func testByteOrderMarkStartingALaterLineIsRefused() {
        let diagnostic = failure("a: 1\r\n\u{FEFF}b: 2\n")
        XCTAssertEqual(diagnostic?.location, SourceLocation(line: 2, column: 1))
        XCTAssertEqual(diagnostic?.message, "line 2 starts with a byte-order mark (U+FEFF), an invisible character")
        guard case .failure = YAMLLoader.load(utf16LittleEndian("a: 1\n\u{FEFF}b: 2\n")) else {
            return XCTFail("a second byte-order mark in UTF-16 must be refused too")
        }
    }

    func testByteOrderMarkInsideALineIsKept() throws {
        guard case .scalar(let a) = scalar("a", in: try load("a: \"x\u{FEFF}y\"\n").get())?.content else {
            return XCTFail("a must be a scalar")
        }
        XCTAssertEqual(a.text, "x\u{FEFF}y")
    }

    /// libyaml notices a directive's missing '---' at the next token (here the end of the file, 3:1).
    func testDirectiveWithoutDocumentStartIsLocatedAtTheDirective() {
        XCTAssertEqual(failure("a: 1\n%YAML 1.1\n")?.location, SourceLocation(line: 2, column: 1))
        XCTAssertEqual(failure("%YAML 1.1\n%TAG !e! tag:e,2000:\na: 1\n")?.location, SourceLocation(line: 1, column: 1))
    }
}
