import Foundation
import Pipeline
import Planning
import Results
import Sweeps
import TestSupport
import XCTest

/// `nnrun upgrade` (`SpecUpgrade`, `UpgradedSpec`): a format 1 spec rewritten as format 2
/// keeps its meaning (the same results file but for the spec's identity) and its text
/// (comments, layout), with `bias: none` where format 1 left the bias out.
final class SpecUpgradeTests: XCTestCase {
    // MARK: Same meaning, every spec of the repository

    /// Every format 1 spec in the repository: the shipped ones, the benchmarks, and the
    /// corpora's valid specs, as `.ci/determinism` lists them.
    private func repositorySpecs() throws -> [String] {
        func yaml(in folder: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: Repository.file(folder).path)
                .filter { $0.hasSuffix(".yaml") }.sorted().map { "\(folder)/\($0)" }
        }
        var specs = try yaml(in: "specs") + yaml(in: "specs/bench")
        specs += try yaml(in: "Tests/Fuzz/corpus").filter { !$0.contains("/bad-") }
        specs += try yaml(in: "Tests/ValidationTests/Hostile").filter { path in
            let text = String(decoding: try Data(contentsOf: Repository.file(path)), as: UTF8.self)
            return text.split(separator: "\n").contains("# exit: 0")
        }
        return specs
    }

    /// The results file without its `spec` member (path and SHA-256 are the file's, not the run's).
    private func resultsWithoutIdentity(_ compilation: SpecCompilation) throws -> String {
        let document = try PlannedSpec(compilation, memoryLimit: .max).run().document()
        guard case .object(let members) = document else { return document.serialized() }
        return JSONValue.object(members.filter { $0.0 != "spec" }).serialized()
    }

    /// The two benchmark specs too large to train twice in a debug test are compared by
    /// their plans, which determine a run completely (`Runner.run(plan)`): the same layers,
    /// operations and schedule, and the same bits of every initial parameter and sample.
    private static let comparedByPlan: Set<String> = ["specs/bench/w3.yaml", "specs/bench/w4.yaml"]

    func testEveryFormat1SpecOfTheRepositoryGivesTheSameResultsAfterTheUpgrade() throws {
        let specs = try repositorySpecs()
        XCTAssertGreaterThanOrEqual(specs.count, 25)
        if !FileManager.default.fileExists(atPath: Repository.file("specs/bench/data/w3-inputs.npy").path) {
            // The benchmark specs read generated data (git-ignored): write it, as .ci/run does.
            try requirePython("import numpy", else: "the benchmark data needs NumPy to be written: pip install numpy")
            let made = try NnrunProcess.run(["python3", Repository.file("bench/make-data").path],
                                            executable: URL(fileURLWithPath: "/usr/bin/env"))
            XCTAssertEqual(made.status, 0, made.stdout + made.stderr)
        }
        var upgradedFormat1 = 0
        for relative in specs {
            let path = Repository.file(relative).path
            let before = SpecCompilation(path: path)
            guard case .valid = before.outcome else {
                // A fuzzer seed may name a data file that lives elsewhere; .ci/determinism skips it too.
                if !relative.hasPrefix("Tests/Fuzz/") { XCTFail("\(relative) does not validate: \(before.renderedDiagnostics)") }
                continue
            }
            let text = try UpgradedSpec.text(ofSpecAt: path)
            let after = SpecCompilation(path: path, bytes: Array(text.utf8))
            guard case .valid = after.outcome else {
                XCTFail("the upgrade of \(relative) does not validate: \(after.renderedDiagnostics)")
                continue
            }
            XCTAssertEqual(after.spec?.version?.value, 2, relative)
            if before.spec?.version?.value == 1 { upgradedFormat1 += 1 }
            if Self.comparedByPlan.contains(relative) {
                let a = try PlannedSpec(before, memoryLimit: .max).plan, b = try PlannedSpec(after, memoryLimit: .max).plan
                XCTAssertEqual(a.readableDescription, b.readableDescription, relative)
                XCTAssertEqual(a.initialParameters.map(\.bitPattern), b.initialParameters.map(\.bitPattern), relative)
                XCTAssertEqual(a.inputs.map(\.bitPattern), b.inputs.map(\.bitPattern), relative)
                XCTAssertEqual(a.targets.map(\.bitPattern), b.targets.map(\.bitPattern), relative)
                XCTAssertEqual(a.historySteps, b.historySteps, relative)
                XCTAssertEqual(a.shuffleSeed, b.shuffleSeed, relative)
            } else {
                XCTAssertEqual(try resultsWithoutIdentity(before), try resultsWithoutIdentity(after), relative)
            }
        }
        XCTAssertGreaterThanOrEqual(upgradedFormat1, 20, "most of the repository's specs are format 1")
    }

    // MARK: The text

    func testABlockLayerWithoutBiasGetsBiasNoneOnItsOwnLineAndCommentsStay() throws {
        let source = """
            # a comment at the top
            nnrun: 1   # the format
            model:
              inputs: 2
              layers:
                - name: hidden      # first
                  units: 2
                  activation: sigmoid
                  weights:
                    - [0.1, 0.2]
                    - [0.3, 0.4]
                - name: out
                  units: 1
                  activation: sigmoid
                  weights: [[0.5, 0.6]]
                  bias: 0.3
            """
        XCTAssertEqual(try SpecUpgrade.upgrade(source), """
            # a comment at the top
            nnrun: 2   # the format
            model:
              inputs: 2
              layers:
                - name: hidden      # first
                  units: 2
                  activation: sigmoid
                  bias: none
                  weights:
                    - [0.1, 0.2]
                    - [0.3, 0.4]
                - name: out
                  units: 1
                  activation: sigmoid
                  weights: [[0.5, 0.6]]
                  bias: 0.3
            """)
    }

    func testAFlowLayerGetsBiasNoneAfterItsLastValue() throws {
        let source = "nnrun: 1\nmodel:\n  inputs: 1\n  layers:\n    - {name: a, units: 1, activation: linear, weights: [[1]]}  # x\n"
        XCTAssertEqual(try SpecUpgrade.upgrade(source),
                       "nnrun: 2\nmodel:\n  inputs: 1\n  layers:\n    - {name: a, units: 1, activation: linear, weights: [[1]], bias: none}  # x\n")
    }

    func testCRLFLineEndsStay() throws {
        let source = "nnrun: 1\r\nmodel:\r\n  layers:\r\n    - name: a\r\n      units: 1\r\n"
        XCTAssertEqual(try SpecUpgrade.upgrade(source),
                       "nnrun: 2\r\nmodel:\r\n  layers:\r\n    - name: a\r\n      units: 1\r\n      bias: none\r\n")
    }

    func testAFormat2OrUnversionedSpecIsNotUpgraded() {
        for source in ["nnrun: 2\nname: x\n", "name: x\n", "nnrun: '1'\n", "- 1\n"] {
            XCTAssertThrowsError(try SpecUpgrade.upgrade(source), source)
        }
    }

    func testALayerWithNoValueOnOneLineIsRefusedWithItsLocation() {
        let source = "nnrun: 1\nmodel:\n  layers:\n    - weights:\n        - [1]\n"
        XCTAssertThrowsError(try SpecUpgrade.upgrade(source)) { error in
            let failure = error as? SpecUpgrade.Failure
            XCTAssertEqual(failure?.location.line, 4)
            XCTAssertTrue(failure?.message.contains("model.layers[0]") == true, "\(String(describing: failure))")
        }
    }
}
