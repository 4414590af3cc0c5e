import Foundation
import Pipeline
import TestSupport
import XCTest

/// Every spec in `BadSpecs/` is invalid in a known way; this runs the whole folder, in
/// process and through the real `nnrun validate`, and checks each file's diagnostics
/// against the expectations written at its top.
///
/// ## The expectation format
///
/// A file opens with the header `CorpusHeader` reads (shared with `Hostile/`): `# about:`,
/// then one `# expect: LINE:COLUMN: error[NNxxxx]: KEY.PATH: MESSAGE` per diagnostic,
/// exactly `Diagnostic.summary`, in the order nnrun reports them (source order), optionally
/// followed by `#   fix:` and `#   note:` lines. The list must match exactly: nothing
/// missing, nothing extra. LINE and COLUMN are 1-based and refer to the file as it is,
/// comment lines included; COLUMN counts characters. Problems of the file as a whole have
/// no `KEY.PATH: `. A file that cannot hold a comment without becoming a different case
/// (an empty file, a file of blanks) has its expectations in `commentlessFiles` below instead.
final class BadSpecCorpusTests: XCTestCase {
    typealias Expectation = CorpusHeader.Expectation
    typealias ParseError = CorpusHeader.ParseError

    /// The corpus may grow but must not silently shrink.
    static let minimumCorpusSize = 35

    static let emptySpec = Expectation(
        summary: "1:1: error[NN1003]: the spec is empty; expected a mapping starting with 'nnrun: 1'",
        fix: "start from specs/tutorial.yaml")

    /// Files whose expectations cannot be written inside them.
    static let commentlessFiles: [String: [Expectation]] = [
        "empty-file.yaml": [emptySpec],       // zero bytes
        "whitespace-only.yaml": [emptySpec],  // blank lines and spaces
    ]

    static let folder: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadSpecs")

    static func corpus() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// The expectations of one file, or a description of why its header is malformed.
    static func expectations(of url: URL) throws -> Result<[Expectation], ParseError> {
        let name = url.lastPathComponent
        let bytes = try Data(contentsOf: url)
        if let listed = commentlessFiles[name] {
            guard bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
                return .failure(ParseError("\(name) is listed in commentlessFiles but has content; write its expectations inside it"))
            }
            return .success(listed)
        }
        // The header is valid UTF-8 even in files that are not (their bad bytes come after it).
        let text = String(decoding: bytes, as: UTF8.self)
        let header: CorpusHeader
        do { header = try CorpusHeader(text, name: name) } catch let error as ParseError { return .failure(error) }
        if header.expectations.isEmpty {
            return .failure(ParseError("\(name) has no '# expect: ' line; a bad spec must expect at least one diagnostic"))
        }
        return .success(header.expectations)
    }

    /// The expectations of every file, failing the test for any malformed header.
    private func loadCorpus(file: StaticString = #filePath, line: UInt = #line) throws -> [(URL, [Expectation])] {
        var loaded: [(URL, [Expectation])] = []
        for url in try Self.corpus() {
            switch try Self.expectations(of: url) {
            case .success(let expectations): loaded.append((url, expectations))
            case .failure(let error): XCTFail(error.description, file: file, line: line)
            }
        }
        return loaded
    }

    // MARK: Tests

    func testCorpusHasEnoughFilesAndEveryOneHasExpectations() throws {
        let files = try Self.corpus()
        XCTAssertGreaterThanOrEqual(files.count, Self.minimumCorpusSize,
                                    "BadSpecs holds \(files.count) specs; the corpus must not shrink below \(Self.minimumCorpusSize)")
        XCTAssertEqual(try loadCorpus().count, files.count)
        let names = Set(files.map(\.lastPathComponent))
        for listed in Self.commentlessFiles.keys {
            XCTAssertTrue(names.contains(listed), "commentlessFiles names \(listed), which is not in BadSpecs")
        }
    }

    /// In process: the compilation's diagnostics are exactly the expected ones, in order.
    func testEachBadSpecCompilesToExactlyItsExpectedDiagnostics() throws {
        for (url, expected) in try loadCorpus() {
            let compilation = SpecCompilation(path: url.path)
            guard case .invalid = compilation.outcome else {
                XCTFail("\(url.lastPathComponent): expected an invalid spec, got \(compilation.outcome)")
                continue
            }
            // Compare only what the file asserts: the fix and notes when it gives them.
            let actual = compilation.diagnostics.enumerated().map { index, diagnostic in
                let wanted = expected.indices.contains(index) ? expected[index] : nil
                return Expectation(
                    summary: diagnostic.summary,
                    fix: wanted?.fix == nil ? nil : diagnostic.fix,
                    notes: wanted?.notes.isEmpty ?? true ? [] : diagnostic.notes.map { "\($0.location): \($0.message)" })
            }
            let full = compilation.diagnostics.map { diagnostic in
                Expectation(summary: diagnostic.summary, fix: diagnostic.fix,
                            notes: diagnostic.notes.map { "\($0.location): \($0.message)" })
            }
            XCTAssertEqual(actual, expected, """
                \(url.lastPathComponent): the diagnostics differ from the expectations.
                expected:
                \(expected.map(\.description).joined(separator: "\n"))
                actual:
                \(full.map(\.description).joined(separator: "\n"))
                """)
        }
    }

    /// The real executable: exit status exactly 65 (not a crash, not 70), and every
    /// expected diagnostic printed as `PATH:SUMMARY`, with its fix line.
    func testValidateReportsEachBadSpecAndExits65() throws {
        for (url, expected) in try loadCorpus() {
            let path = url.path
            let output = try NnrunProcess.run(["validate", path])
            XCTAssertEqual(output.status, 65, "\(url.lastPathComponent): exit status \(output.status)\n\(output.stderr)")
            XCTAssertEqual(output.stdout, "", "\(url.lastPathComponent): nothing belongs on standard output")
            for expectation in expected {
                XCTAssertTrue(output.stderr.contains("\(path):\(expectation.summary)\n"),
                              "\(url.lastPathComponent): stderr lacks '\(expectation.summary)'\n\(output.stderr)")
                if let fix = expectation.fix {
                    XCTAssertTrue(output.stderr.contains("\n  fix: \(fix)\n"),
                                  "\(url.lastPathComponent): stderr lacks the fix '\(fix)'\n\(output.stderr)")
                }
            }
            let count = expected.count
            XCTAssertTrue(output.stderr.hasSuffix("\(path): \(count) error\(count == 1 ? "" : "s")\n"),
                          "\(url.lastPathComponent): expected a final count of \(count)\n\(output.stderr)")
        }
    }

    /// `validate A B C`: every file is reported under its own name, and one bad file
    /// makes the whole command exit 65 even when others are valid.
    func testValidateOnSeveralFilesReportsEachAndExits65() throws {
        let corpus = try loadCorpus()
        let picked = ["duplicate-key.yaml", "several-independent-errors.yaml", "bad-utf8-byte.yaml", "empty-file.yaml"]
            .compactMap { name in corpus.first { $0.0.lastPathComponent == name } }
        XCTAssertEqual(picked.count, 4, "the files this test picks are missing from BadSpecs")
        let tutorial = Repository.file("specs/tutorial.yaml").path
        let output = try NnrunProcess.run(["validate"] + picked.map(\.0.path) + [tutorial])
        XCTAssertEqual(output.status, 65, output.stderr)
        XCTAssertEqual(output.stdout, "\(tutorial): valid\n")
        for (url, expected) in picked {
            for expectation in expected {
                XCTAssertTrue(output.stderr.contains("\(url.path):\(expectation.summary)\n"),
                              "stderr lacks \(url.lastPathComponent)'s '\(expectation.summary)'\n\(output.stderr)")
            }
            let count = expected.count
            XCTAssertTrue(output.stderr.contains("\(url.path): \(count) error\(count == 1 ? "" : "s")\n"),
                          "stderr lacks \(url.lastPathComponent)'s count of \(count)\n\(output.stderr)")
        }
        // Reported in the order given.
        let firsts = picked.compactMap { output.stderr.range(of: "\($0.0.path):")?.lowerBound }
        XCTAssertEqual(firsts, firsts.sorted(), "files must be reported in command-line order")
    }

    /// The shipped specs are the positive counterpart: each validates with status 0.
    func testEveryShippedSpecValidates() throws {
        let folder = Repository.file("specs")
        let specs = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertFalse(specs.isEmpty)
        for spec in specs {
            let compilation = SpecCompilation(path: spec.path)
            XCTAssertEqual(compilation.diagnostics.map(\.summary), [], spec.lastPathComponent)
            let output = try NnrunProcess.run(["validate", spec.path])
            XCTAssertEqual(output.status, 0, "\(spec.lastPathComponent): \(output.stderr)")
            // A sweep spec is validated with every spec it expands to (specs/tutorial-sweep.yaml: 3 x 2 runs).
            let sweep = spec.lastPathComponent == "tutorial-sweep.yaml"
            XCTAssertEqual(output.stdout, "\(spec.path): valid" + (sweep ? " (a sweep of 6 runs, each valid)" : "") + "\n")
            XCTAssertEqual(output.stderr, "")
        }
        let all = try NnrunProcess.run(["validate"] + specs.map(\.path))
        XCTAssertEqual(all.status, 0, all.stderr)
    }
}
