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

    private func pairs(_ node: YAMLNode) -> [(String, YAMLNode)] {
        guard case .mapping(let pairs) = node.content else { return [] }
        return pairs.map { pair in
            guard case .scalar(let key) = pair.key.content else { return ("?", pair.value) }
            return (key.text, pair.value)
        }
    }

    private func scalars(_ node: YAMLNode) -> [String] {
        switch node.content {
        case .scalar(let scalar): return [scalar.text]
        case .sequence(let items): return items.flatMap(scalars)
        case .mapping(let pairs): return pairs.flatMap { scalars($0.key) + scalars($0.value) }
        }
    }

    func testAnAliasRepeatsTheAnchoredValueAndRemembersWhereItStands() throws {
        let root = try load("a: &x [1, 2]\nb: *x\n").get()
        let b = try XCTUnwrap(pairs(root).first { $0.0 == "b" }?.1)
        XCTAssertEqual(scalars(b), ["1", "2"])
        // The copy's text is the anchored list's (1:4); it is shown at the alias (2:4).
        XCTAssertEqual(b.location.written, SourceLocation(line: 1, column: 4))
        XCTAssertEqual(b.location.alias, SourceLocation.AliasUse(name: "x", line: 2, column: 4))
        XCTAssertEqual(b.location.shown, SourceLocation(line: 2, column: 4))
        guard case .sequence(let items) = b.content else { return XCTFail("not a list") }
        XCTAssertEqual(items[1].location.written, SourceLocation(line: 1, column: 11))
        XCTAssertEqual(items[1].location.shown, SourceLocation(line: 2, column: 4))
        // The anchored value itself is not reached through an alias.
        XCTAssertNil(pairs(root).first { $0.0 == "a" }?.1.location.alias)
    }

    /// "Billion laughs": nine levels of ten aliases each would expand to 10^9 nodes. Copies
    /// are counted before they are made: l0 is 11 nodes, each level's list 1 + 10 times the
    /// one below (111, 1111, 11111). Levels 1-3 copy 110 + 1110 + 11110 = 12330 nodes; each
    /// alias of l3 copies 11111 more, so the 8th on line 5 is the first past 100,000:
    /// 12330 + 8 * 11111 = 101218. It stands at column 10 + 7 * 5 ("l4: &l4 [" then "*l3, ").
    func testAliasBombIsRefusedAtTheFirstAliasPastTheLimit() {
        var text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let previous = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
            text += "l\(level): &l\(level) [\(previous)]\n"
        }
        let started = ContinuousClock.now
        let diagnostic = failure(text)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2), "must stop expanding at the limit")
        XCTAssertEqual(diagnostic?.id, .aliasExpansionTooLarge)
        XCTAssertEqual(diagnostic?.location, SourceLocation(line: 5, column: 45))
        XCTAssertTrue(diagnostic?.message.contains("'*l3' repeats the 11111 values anchored at 4:5") ?? false,
                      diagnostic?.message ?? "")
    }

    func testAnAliasInsideItsOwnAnchoredValueIsRefused() {
        let diagnostic = failure("a: &x [1, [*x]]\n")
        XCTAssertEqual(diagnostic?.id, .recursiveAlias)
        XCTAssertEqual(diagnostic?.location, SourceLocation(line: 1, column: 12))
    }

    func testAnAliasThatNestsTooDeepIsRefusedAtTheAlias() {
        var limits = YAMLLoader.Limits()
        limits.maxDepth = 4
        // a's 1 is at level 4 (root, [[1]], [1], 1); b's list is level 2, so the alias's
        // copy of a would put its 1 at level 5.
        guard case .failure(let diagnostic) = YAMLLoader.load(Array("a: &a [[1]]\nb: [*a]\n".utf8), limits: limits) else {
            return XCTFail("expected a load error")
        }
        XCTAssertEqual(diagnostic.id, .nestedTooDeep)
        XCTAssertEqual(diagnostic.location, SourceLocation(line: 2, column: 5))
    }

    /// YAML 1.1 merge keys (https://yaml.org/type/merge.html): the mapping's own keys win,
    /// then the earlier of the merged mappings.
    func testMergeKeyOwnKeysWinThenEarlierMappings() throws {
        let root = try load("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  x: 3\n").get()
        let c = try XCTUnwrap(pairs(root).first { $0.0 == "c" }?.1)
        let merged = Dictionary(uniqueKeysWithValues: pairs(c).map { ($0.0, scalars($0.1)) })
        XCTAssertEqual(merged, ["x": ["3"], "y": ["1"], "z": ["2"]])
        XCTAssertEqual(pairs(c).count, 3)
    }

    func testMergeKeyTakesAnInlineMappingAndAQuotedKeyIsOrdinary() throws {
        let inline = try load("c:\n  <<: {x: 1}\n  y: 2\n").get()
        XCTAssertEqual(Set(pairs(try XCTUnwrap(pairs(inline).first?.1)).map(\.0)), ["x", "y"])
        let quoted = try load("c:\n  \"<<\": {x: 1}\n").get()
        XCTAssertEqual(pairs(try XCTUnwrap(pairs(quoted).first?.1)).map(\.0), ["<<"])
    }

    func testMergeKeyOfAScalarIsRefusedAtTheValue() {
        let diagnostic = failure("a: &n 5\nc:\n  <<: *n\n")
        XCTAssertEqual(diagnostic?.id, .mergeKeyValue)
        XCTAssertEqual(diagnostic?.location.shown, SourceLocation(line: 3, column: 7))
        XCTAssertEqual(diagnostic?.location.written, SourceLocation(line: 1, column: 4))
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
