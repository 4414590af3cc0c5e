import Diagnostics
import Foundation
import Pipeline
import Sweeps
import TestSupport
import XCTest
import YAMLSource

/// Docs/diagnostics.md is generated from the catalogue (`DiagnosticID`, its summaries) and
/// the corpora: each ID's example is the smallest bad spec of `BadSpecs/`, `BadSweeps/` or
/// `Hostile/` whose expectations name it, shown with what nnrun prints for it. The corpus
/// tests check those expectations against nnrun, so an example cannot show a diagnostic
/// nnrun does not give; this test checks that every ID has an entry and that the page is
/// the generated one. After changing the catalogue or the corpora, regenerate the page:
///
///     NNRUN_WRITE_DIAGNOSTICS_DOC=1 swift test --filter DiagnosticsCatalogueTests
final class DiagnosticsCatalogueTests: XCTestCase {
    /// IDs without a corpus file to show, and why.
    static let withoutExample: [DiagnosticID: String] = [
        .specTooLarge: "a spec over 16 MiB (the hostile corpus generates one: `Hostile/file-16mib-plus-one-byte.template`).",
        .specUnreadable: "a file that cannot be opened has nothing to show (`nnrun validate no-such-file.yaml`).",
        .notUTF8: "the file's bytes cannot be shown as text (see `Hostile/manifest.tsv`: `garbage-*.bin`, `utf16le-no-bom.yaml`).",
        .strayByteOrderMark: "the mark is invisible (see `Hostile/manifest.tsv`: `bom-doubled.yaml`).",
        .yamlInternal: "libyaml running out of memory; no spec is known to cause it.",
        .overridePath: "an override is a command-line argument: `nnrun validate specs/tutorial.yaml --set 'model.layers[5].units=3'` (Tests/PipelineTests/OverrideCompilationTests.swift).",
        .overrideValue: "an override is a command-line argument: `nnrun validate specs/tutorial.yaml --set model=3` (Tests/PipelineTests/OverrideCompilationTests.swift).",
    ]

    static let validationFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    struct Example {
        var file: URL
        var text: String
        var ids: [String]
    }

    /// Corpus files with their expected IDs, smallest first within each folder.
    static func examples() throws -> [Example] {
        var examples: [Example] = []
        for folder in ["BadSpecs", "BadSweeps", "Hostile"] {
            let url = validationFolder.appendingPathComponent(folder)
            let files = try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "yaml" }
            var found: [Example] = []
            for file in files {
                let data = try Data(contentsOf: file)
                // Shown in a Markdown page: printable UTF-8 text only.
                guard let text = String(data: data, encoding: .utf8), !text.hasPrefix("\u{FEFF}"),
                      !text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
                          || [0x2028, 0x2029, 0xFEFF].contains($0.value) })
                else { continue }
                let header = try CorpusHeader(text, name: file.lastPathComponent, directives: ["exit", "run"])
                found.append(Example(file: file, text: text, ids: header.expectations.compactMap(\.id)))
            }
            examples += found.sorted { ($0.text.count, $0.file.lastPathComponent) < ($1.text.count, $1.file.lastPathComponent) }
        }
        return examples
    }

    /// Everything `nnrun validate` reports for `file`: the compilation's diagnostics and the sweep's.
    static func diagnostics(of file: URL) -> [Diagnostic] {
        let compilation = SpecCompilation(path: file.path)
        var diagnostics = compilation.diagnostics
        if case .success(let root) = YAMLLoader.load(compilation.bytes) {
            diagnostics += SweepParser.parse(root).diagnostics
        }
        return diagnostics.sortedBySource()
    }

    static let phases: [(title: String, range: ClosedRange<Int>)] = [
        ("Reading the spec file (NN0xxx)", 0...999), ("YAML (NN1xxx)", 1000...1999),
        ("Keys and value types (NN2xxx)", 2000...2999), ("The model (NN3xxx)", 3000...3999),
        ("Data (NN4xxx)", 4000...4999), ("Training and record (NN5xxx)", 5000...5999),
        ("Expectations (NN6xxx)", 6000...6999), ("Sweeps (NN7xxx)", 7000...7999),
    ]

    static func page() throws -> String {
        let examples = try examples()
        var page = """
            # Diagnostics

            Every problem nnrun reports has an ID: `NN` and four digits, shown after the severity
            (`spec.yaml:7:19: error[NN3009]: model.layers[0].activation: ...`), in
            `nnrun validate --format json` (`"id"`) and in GitHub annotations (`title=NN3009`). The
            thousands digit names the phase that found the problem. An ID stays the same when a
            message's wording improves, and is never reused for another rule; tools and CI should
            match on it, not on the text.

            Each entry gives the rule, then the smallest spec of the test corpora that breaks it
            (its first lines say what it expects nnrun to print) and what nnrun prints for it: the
            location, the message and the fix. This page is generated from the catalogue
            (`Sources/Diagnostics/DiagnosticID.swift`) and the corpora by
            `Tests/ValidationTests/DiagnosticsCatalogueTests.swift`, which fails when the two differ.

            """
        for phase in phases {
            page += "\n## \(phase.title)\n"
            for id in DiagnosticID.allCases where phase.range.contains(id.rawValue) {
                page += "\n### \(id.code) `\(id.slug)`\n\n\(id.summary)\n"
                guard let example = examples.first(where: { $0.ids.contains(id.code) }) else {
                    page += "\nNo example here: \(withoutExample[id] ?? "(none)")\n"
                    continue
                }
                let relative = example.file.path.replacingOccurrences(of: Repository.root.path + "/", with: "")
                let name = example.file.lastPathComponent
                let shown = diagnostics(of: example.file).filter { $0.id == id }
                let rendered = DiagnosticRenderer(fileName: name, source: example.text).render(shown)
                page += "\nExample: `\(relative)`\n\n```yaml\n\(example.text.hasSuffix("\n") ? example.text : example.text + "\n")```\n\n```text\n\(rendered)\n```\n"
            }
        }
        return page
    }

    func testEveryIDHasAnExampleOrASaidReasonAndNoReasonHidesAnExample() throws {
        let examples = try Self.examples()
        for id in DiagnosticID.allCases {
            let hasExample = examples.contains { $0.ids.contains(id.code) }
            if hasExample {
                XCTAssertNil(Self.withoutExample[id], "\(id.code) has a corpus example; remove it from withoutExample")
            } else {
                XCTAssertNotNil(Self.withoutExample[id], "\(id.code) (\(id.slug)) has no example in BadSpecs, BadSweeps or Hostile")
            }
        }
    }

    func testIDsAreUniqueStableCodesAndEveryExpectedIDExists() throws {
        XCTAssertEqual(Set(DiagnosticID.allCases.map(\.code)).count, DiagnosticID.allCases.count)
        XCTAssertEqual(DiagnosticID.unknownActivation.code, "NN3009")
        XCTAssertEqual(DiagnosticID.specTooLarge.code, "NN0001")
        XCTAssertEqual(DiagnosticID.notUTF8.slug, "not-utf8")
        XCTAssertEqual(DiagnosticID(code: "NN3009"), .unknownActivation)
        for example in try Self.examples() {
            for id in example.ids {
                XCTAssertNotNil(DiagnosticID(code: id), "\(example.file.lastPathComponent) expects \(id), which is not in the catalogue")
            }
        }
    }

    func testDocsDiagnosticsPageIsTheGeneratedOne() throws {
        let url = Repository.file("Docs/diagnostics.md")
        let generated = try Self.page()
        if ProcessInfo.processInfo.environment["NNRUN_WRITE_DIAGNOSTICS_DOC"] == "1" {
            try Data(generated.utf8).write(to: url)
        }
        let written = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        XCTAssertTrue(written == generated,
                      "Docs/diagnostics.md differs from the catalogue and corpora; regenerate it with NNRUN_WRITE_DIAGNOSTICS_DOC=1 swift test --filter DiagnosticsCatalogueTests")
        for id in DiagnosticID.allCases {
            XCTAssertTrue(written.contains("### \(id.code) `\(id.slug)`"), "Docs/diagnostics.md lacks \(id.code)")
        }
    }

    /// `BadSweeps/`: specs whose sweep section is malformed. In process, the diagnostics are
    /// exactly the expected ones; through `nnrun validate`, each is printed and the status is 65.
    func testEachBadSweepReportsExactlyItsExpectedDiagnostics() throws {
        let folder = Self.validationFolder.appendingPathComponent("BadSweeps")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let expected = try CorpusHeader(text, name: file.lastPathComponent).expectations
            XCTAssertFalse(expected.isEmpty, file.lastPathComponent)
            let actual = Self.diagnostics(of: file).enumerated().map { index, diagnostic in
                CorpusHeader.Expectation(summary: diagnostic.summary,
                                         fix: expected.indices.contains(index) && expected[index].fix != nil ? diagnostic.fix : nil)
            }
            XCTAssertEqual(actual, expected, file.lastPathComponent)
            let output = try NnrunProcess.run(["validate", file.path])
            XCTAssertEqual(output.status, 65, "\(file.lastPathComponent): \(output.stderr)")
            for expectation in expected {
                XCTAssertTrue(output.stderr.contains("\(file.path):\(expectation.summary)\n"),
                              "\(file.lastPathComponent): stderr lacks \(expectation.summary)\n\(output.stderr)")
            }
        }
    }
}
