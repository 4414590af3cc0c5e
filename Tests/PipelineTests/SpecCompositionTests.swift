import Diagnostics
import Foundation
import Pipeline
import Sweeps
import TestSupport
import XCTest

/// `extends: base.yaml`: a spec merged over its base files, key by key (mappings merge,
/// lists and scalars replace), with diagnostics in whichever file holds the line.
final class SpecCompositionTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnrun-extends-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Lines used below: 9 is `activation`, 15 `learning_rate`.
    private let base = """
        nnrun: 1
        name: base
        model:
          inputs: 1
          layers:
            - name: out
              units: 1
              weights: [[0.5]]
              activation: sigmoid
        data:
          - {inputs: [1], targets: [0.5]}
          - {inputs: [2], targets: [0.25]}
        training:
          loss: half_squared_error
          learning_rate: 0.1
          steps: 3

        """

    @discardableResult
    private func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testMappingsMergeKeyByKeyAndListsAndScalarsReplace() throws {
        try write("base.yaml", base)
        let child = try write("child.yaml", """
            extends: base.yaml
            name: child
            data:
              - {inputs: [3], targets: [0.75]}
            training:
              learning_rate: 0.25

            """)
        let spec = try SpecCompilation(path: child).validSpec()
        XCTAssertEqual(spec.name, "child")
        XCTAssertEqual(spec.training.learningRate, 0.25, "the child's value")
        XCTAssertEqual(spec.training.steps, 3, "the base's value, merged into the child's training mapping")
        XCTAssertEqual(spec.samples.map(\.inputs), [[3]], "the child's list replaces the base's")
    }

    /// `--set` writes into the spec named on the command line; a mapping only the base
    /// writes is added there (`training: {learning_rate: 0.3}`), merged over the base's.
    func testAnOverrideOfAValueOnlyTheBaseWritesIsAddedToTheSpecAndWins() throws {
        try write("base.yaml", base)
        let child = try write("child.yaml", "extends: base.yaml\nname: child\n")
        let spec = try SpecCompilation(path: child, overrides: [SpecOverride(path: "training.learning_rate", value: "0.3")]).validSpec()
        XCTAssertEqual(spec.training.learningRate, 0.3)
        XCTAssertEqual(spec.training.steps, 3)
    }

    func testAChainOfBasesIsFollowedAndTheNearestWins() throws {
        try write("base.yaml", base)
        try write("middle.yaml", "extends: base.yaml\ntraining: {learning_rate: 0.2, steps: 5}\n")
        let top = try write("top.yaml", "extends: middle.yaml\ntraining: {steps: 7}\n")
        let compilation = SpecCompilation(path: top)
        let spec = try compilation.validSpec()
        XCTAssertEqual(spec.training.learningRate, 0.2)
        XCTAssertEqual(spec.training.steps, 7)
        XCTAssertEqual(compilation.extends, ["middle.yaml", "base.yaml"])
    }

    func testADiagnosticInABaseFileIsLocatedThere() throws {
        try write("base.yaml", try base.replacing(exactlyOnce: "activation: sigmoid", with: "activation: sigmoud"))
        let child = try write("child.yaml", "extends: base.yaml\nname: child\n")
        let compilation = SpecCompilation(path: child)
        let diagnostic = try XCTUnwrap(compilation.diagnostics.first)
        XCTAssertEqual(diagnostic.id, .unknownActivation)
        let baseName = (child as NSString).deletingLastPathComponent + "/base.yaml"
        XCTAssertEqual(diagnostic.location, SourceLocation(line: 9, column: 19, origin: .file(baseName)))
        let rendered = compilation.renderedDiagnostics
        XCTAssertTrue(rendered.hasPrefix("\(baseName):9:19: error[NN3009]: "), rendered)
        XCTAssertTrue(rendered.contains("    9 |       activation: sigmoud\n"), rendered)
    }

    func testACycleIsRefusedWithTheChainShown() throws {
        let a = try write("a.yaml", "extends: b.yaml\nname: a\n")
        try write("b.yaml", "extends: a.yaml\n")
        let diagnostic = try XCTUnwrap(SpecCompilation(path: a).diagnostics.first)
        XCTAssertEqual(diagnostic.id, .extendsCycle)
        let dir = (a as NSString).deletingLastPathComponent
        XCTAssertEqual(diagnostic.message, "the specs extend each other in a cycle: \(dir)/a.yaml -> \(dir)/b.yaml -> \(dir)/a.yaml")
        // At b.yaml's 'extends' value, the link that closes the cycle.
        XCTAssertEqual(diagnostic.location, SourceLocation(line: 1, column: 10, origin: .file("\(dir)/b.yaml")))
    }

    func testAMissingBaseIsLocatedAtTheExtendsValue() throws {
        let child = try write("child.yaml", "name: child\nextends: nothere.yaml\n")
        let diagnostic = try XCTUnwrap(SpecCompilation(path: child).diagnostics.first)
        XCTAssertEqual(diagnostic.id, .extendsUnreadable)
        XCTAssertEqual(diagnostic.location, SourceLocation(line: 2, column: 10))
        XCTAssertTrue(diagnostic.message.hasSuffix("nothere.yaml': no such file"), diagnostic.message)
    }

    func testAChainLongerThanTheLimitIsRefused() throws {
        for index in 0..<40 { try write("s\(index).yaml", "extends: s\(index + 1).yaml\n") }
        let diagnostic = try XCTUnwrap(SpecCompilation(path: folder.appendingPathComponent("s0.yaml").path).diagnostics.first)
        XCTAssertEqual(diagnostic.id, .extendsTooLong)
    }

    /// Docs/results-format.md: the SHA-256 of "sha256 <spec's>\n" and "extends <path> <base's>\n"
    /// per base; computed here with the system's sha256sum.
    func testTheIdentityCoversEveryBaseFile() throws {
        try write("base.yaml", base)
        let childText = "extends: base.yaml\nname: child\n"
        let child = try write("child.yaml", childText)
        let manifest = "sha256 \(try sha256sum(childText))\nextends base.yaml \(try sha256sum(base))\n"
        XCTAssertEqual(SpecCompilation(path: child).sha256, try sha256sum(manifest))
    }

    private func sha256sum(_ text: String) throws -> String {
        let file = try write("hash-\(UUID().uuidString)", text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
    }
}
