import Diagnostics
import Foundation
import Pipeline
import Sweeps
import TestSupport
import XCTest

/// `--set` as every command applies it: `SpecCompilation` with overrides written into the
/// spec's text (`SpecOverride`), diagnostics located at the override or at the spec's own
/// lines, and the identity the results file records.
final class OverrideCompilationTests: XCTestCase {
    /// Line numbers are used below: 10 is `bias`, 15 `loss`, 16 `learning_rate`.
    private let spec = """
        nnrun: 1
        name: set
        model:
          inputs: 1
          layers:
            - name: out
              units: 1
              activation: sigmoid
              weights: [[0.5]]
              bias: 0.1
        data:
          - inputs: [1]
            targets: [0.5]
        training:
          loss: half_squared_error
          learning_rate: 0.1
          steps: 1

        """

    private func compile(_ text: String, _ settings: [String]) -> SpecCompilation {
        SpecCompilation(path: "set.yaml", bytes: Array(text.utf8), overrides: settings.compactMap(SpecOverride.init(argument:)))
    }

    func testAnOverriddenValueIsDecodedAndItsDiagnosticPointsAtTheOverride() throws {
        let valid = compile(spec, ["training.learning_rate=0.25", "model.layers[0].units=1"])
        XCTAssertEqual(try valid.validSpec().training.learningRate, 0.25)

        let invalid = compile(spec, ["training.learning_rate=-1"])
        let diagnostic = try XCTUnwrap(invalid.diagnostics.first)
        XCTAssertEqual(invalid.diagnostics.count, 1)
        XCTAssertEqual(diagnostic.id, .nonPositiveLearningRate)
        // "--set training.learning_rate=" is 6 + 22 + 1 characters: the value starts at 30.
        XCTAssertEqual(diagnostic.location, SourceLocation(line: 1, column: 30, origin: .override("--set training.learning_rate=-1")))
        let rendered = invalid.renderedDiagnostics
        XCTAssertTrue(rendered.hasPrefix("--set training.learning_rate=-1: error[NN5005]: training.learning_rate: "), rendered)
        XCTAssertTrue(rendered.contains("\n     | --set training.learning_rate=-1\n     |                              ^"), rendered)
    }

    /// An added key is a line of its own; the spec's later lines keep their numbers in diagnostics.
    func testAnAddedKeyIsLocatedAtTheOverrideAndLaterLinesKeepTheirNumbers() throws {
        let misspelledLoss = try spec.replacing(exactlyOnce: "loss: half_squared_error", with: "loss: half_squared_eror")
        let compilation = compile(misspelledLoss, ["model.layers[0].alpha=0.1"])
        let alpha = try XCTUnwrap(compilation.diagnostics.first { $0.id == .alphaMisuse }, "\(compilation.diagnostics)")
        XCTAssertEqual(alpha.location.origin, .override("--set model.layers[0].alpha=0.1"))
        let loss = try XCTUnwrap(compilation.diagnostics.first { $0.id == .unknownLoss }, "\(compilation.diagnostics)")
        XCTAssertEqual(loss.location, SourceLocation(line: 15, column: 9))
        XCTAssertEqual(compilation.diagnostics.count, 2)
    }

    /// `--set record.every=2` on a spec without a record section adds `record: {every: 2}`.
    func testKeysBelowAMissingMappingAreAddedAndTheirValueLocatedAtTheOverride() throws {
        XCTAssertEqual(try compile(spec, ["record.every=2"]).validSpec().training.steps, 1)
        let invalid = compile(spec, ["record.every=0"])
        let diagnostic = try XCTUnwrap(invalid.diagnostics.first)
        XCTAssertEqual(diagnostic.id, .recordEvery)
        // "--set record.every=" is 6 + 12 + 1 characters: the value starts at 20.
        XCTAssertEqual(diagnostic.location, SourceLocation(line: 1, column: 20, origin: .override("--set record.every=0")))
    }

    func testAMisspelledKeyIsAnUnknownKeyAtTheOverride() throws {
        let compilation = compile(spec, ["training.learnig_rate=0.2"])
        let diagnostic = try XCTUnwrap(compilation.diagnostics.first)
        XCTAssertEqual(diagnostic.id, .unknownKey)
        XCTAssertEqual(diagnostic.location.origin, .override("--set training.learnig_rate=0.2"))
        XCTAssertTrue(diagnostic.message.hasSuffix("did you mean 'learning_rate'?"), diagnostic.message)
    }

    func testAPathThatCannotBeWrittenIsAnErrorNamingTheOverride() throws {
        for (setting, id, message) in [
            ("model.layers[3].units=2", DiagnosticID.overridePath, "the spec does not write 'model.layers[3].units' (it stops at 'model.layers')"),
            ("model.layers[0].weights[0][4]=2", .overridePath, "the spec does not write 'model.layers[0].weights[0][4]' (it stops at 'model.layers[0].weights[0]')"),
            ("model..inputs=2", .overridePath, "cannot read the key path 'model..inputs'"),
            ("model=2", .overrideValue, "'model' is a mapping in the spec; an override replaces a single value"),
            ("training.steps=[1", .overrideValue, "expected the value for 'training.steps' as one YAML value on one line"),
        ] {
            let compilation = compile(spec, [setting])
            guard case .invalid = compilation.outcome, let diagnostic = compilation.diagnostics.first else {
                XCTFail("--set \(setting) must make the spec invalid"); continue
            }
            XCTAssertEqual(diagnostic.id, id, setting)
            XCTAssertEqual(diagnostic.location.origin, .override("--set " + setting))
            XCTAssertTrue(diagnostic.message.hasPrefix(message), diagnostic.message)
            XCTAssertTrue(compilation.renderedDiagnostics.hasPrefix("--set \(setting): error[\(id.code)]: "), compilation.renderedDiagnostics)
        }
    }

    /// A value reached through an alias is the anchored text, which every alias repeats:
    /// setting it through one alias is refused; setting the anchored value changes every use.
    func testAnOverrideThroughAnAliasIsRefusedAndTheAnchoredValueCanBeSet() throws {
        let aliased = try spec
            .replacing(exactlyOnce: "    targets: [0.5]\n", with: "    targets: &t [0.5]\nvalidation:\n  - inputs: [2]\n    targets: *t\n")
        let through = compile(aliased, ["validation[0].targets=[0.7]"])
        let diagnostic = try XCTUnwrap(through.diagnostics.first)
        XCTAssertEqual(diagnostic.id, .writeThroughAlias)
        XCTAssertTrue(diagnostic.message.hasPrefix("'validation[0].targets' is reached through the alias '*t' at 16:14,"), diagnostic.message)
        XCTAssertEqual(diagnostic.notes.first?.location, SourceLocation(line: 16, column: 14))

        let anchored = try compile(aliased, ["data[0].targets=[0.7]"]).validSpec()
        XCTAssertEqual(anchored.samples.first?.targets, [0.7])
        XCTAssertEqual(anchored.validationSamples.first?.targets, [0.7])
    }

    // MARK: Identity

    /// SHA-256 by the system's sha256sum, an implementation independent of nnrun's.
    private func systemSHA256(_ text: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("nnrun-identity-\(UUID().uuidString)")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(output.prefix(64))
    }

    func testWithoutOverridesTheIdentityIsTheFilesSHA256() throws {
        XCTAssertEqual(compile(spec, []).sha256, try systemSHA256(spec))
    }

    /// Docs/results-format.md: SHA-256 of "sha256 <SHA-256 of the effective text>\n" and
    /// one "set PATH=VALUE\n" line per override.
    func testWithOverridesTheIdentityCoversTheEffectiveTextAndTheOverrides() throws {
        let effective = try spec.replacing(exactlyOnce: "learning_rate: 0.1", with: "learning_rate: 0.3")
        let manifest = "sha256 \(try systemSHA256(effective))\nset training.learning_rate=0.2\nset training.learning_rate=0.3\n"
        let compilation = compile(spec, ["training.learning_rate=0.2", "training.learning_rate=0.3"])
        XCTAssertEqual(compilation.effectiveText, effective)
        XCTAssertEqual(compilation.sha256, try systemSHA256(manifest))
    }
}
