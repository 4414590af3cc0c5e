import Foundation
import TestSupport
import XCTest

/// `--set KEY.PATH=VALUE` on the real executable: every command that reads a spec takes it,
/// its diagnostics name the override, and the results file records it (Docs/cli.md).
final class OverrideCommandTests: XCTestCase {
    private let tutorial = Repository.file("specs/tutorial.yaml").path

    func testEveryCommandThatReadsASpecTakesSetAndNamesItInDiagnostics() throws {
        let folder = try NnrunProcess.temporaryFolder()
        for command in ["validate", "plan", "explain", "check", "gradcheck", "run", "bench"] {
            let output = try NnrunProcess.run([command, tutorial, "--set", "training.learning_rate=-1"], in: folder)
            XCTAssertEqual(output.status, 65, "\(command): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains("--set training.learning_rate=-1: error[NN5005]: training.learning_rate: "),
                          "\(command): \(output.stderr)")
        }
        let sweep = try NnrunProcess.run(["sweep", Repository.file("specs/tutorial-sweep.yaml").path,
                                          "--set", "model.layers[9].units=1", "-o", "sweep"], in: folder)
        XCTAssertEqual(sweep.status, 65, sweep.stderr)
        XCTAssertTrue(sweep.stderr.contains("--set model.layers[9].units=1: error[NN2100]: the spec does not write"), sweep.stderr)
    }

    func testSetWithoutAnEqualsSignIsAUsageError() throws {
        let output = try NnrunProcess.run(["validate", tutorial, "--set", "training.learning_rate"])
        XCTAssertEqual(output.status, 64)
        XCTAssertTrue(output.stderr.contains("--set training.learning_rate: expected KEY.PATH=VALUE"), output.stderr)
    }

    /// The results file lists the overrides only when there are some; a later one of the
    /// same path wins: 0.4 then 0.5 is the tutorial's own 0.5, so everything but the spec
    /// section is the plain run's.
    func testTheResultsFileRecordsTheOverridesOnlyWhenThereAreSome() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let set = try NnrunProcess.run([tutorial, "-o", "set.json", "--set", "training.learning_rate=0.4",
                                        "--set", "training.learning_rate=0.5"], in: folder)
        XCTAssertEqual(set.status, 0, set.stderr)
        XCTAssertEqual(try NnrunProcess.run([tutorial, "-o", "plain.json"], in: folder).status, 0)
        let results = try String(contentsOf: folder.appendingPathComponent("set.json"), encoding: .utf8)
        let plain = try String(contentsOf: folder.appendingPathComponent("plain.json"), encoding: .utf8)
        XCTAssertTrue(results.contains("\"overrides\": [\"training.learning_rate=0.4\", \"training.learning_rate=0.5\"]"), results)
        XCTAssertFalse(plain.contains("\"overrides\""))
        XCTAssertFalse(plain.contains("\"extends\""))
        let afterSpec = { (text: String) in text.range(of: "\"status\"").map { String(text[$0.lowerBound...]) } }
        XCTAssertNotNil(afterSpec(plain))
        XCTAssertEqual(afterSpec(results), afterSpec(plain))
    }
}
