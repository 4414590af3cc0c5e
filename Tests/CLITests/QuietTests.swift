import Foundation
import TestSupport
import XCTest

/// `--quiet` (`-q`) means the same in every command that takes it (Docs/cli.md): the
/// product still appears, what went wrong goes to standard error, nothing else is printed.
final class QuietTests: XCTestCase {
    private var folder: URL!

    /// The summary test's spec (one sigmoid unit, one step), with a check that passes or fails.
    private func write(_ name: String, check value: Double) throws {
        let text = RunSummaryTests.spec + "expect:\n  - {at: 0, quantity: accuracy, value: \(value)}\n"
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    override func setUpWithError() throws {
        folder = try NnrunProcess.temporaryFolder()
        // Step 0 has 3 of 4 samples right (RunSummaryTests): 0.75 passes, 1 fails.
        try write("passing.yaml", check: 0.75)
        try write("failing.yaml", check: 1)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func run(_ arguments: [String]) throws -> NnrunProcess.Output {
        try NnrunProcess.run(arguments, in: folder)
    }

    func testRunPrintsNothingWhenAllIsWell() throws {
        let output = try run(["passing.yaml", "-o", "r.json", "--quiet"])
        XCTAssertEqual(output.status, 0)
        XCTAssertEqual(output.stdout, "")
        XCTAssertEqual(output.stderr, "")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("r.json").path))
        // Without it, the summary.
        XCTAssertTrue(try run(["passing.yaml", "-o", "r.json"]).stdout.hasPrefix("summary-metrics: trained 1 step"))
    }

    func testRunToStandardOutputPrintsOnlyTheResults() throws {
        let output = try run(["passing.yaml", "-o", "-", "-q"])
        XCTAssertEqual(output.status, 0)
        XCTAssertEqual(output.stderr, "")
        let results = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        XCTAssertNotNil(results?["final"], "standard output is the results file")
    }

    func testRunReportsAFailedCheckOnStandardError() throws {
        let output = try run(["failing.yaml", "-o", "r.json", "-q"])
        XCTAssertEqual(output.stdout, "")
        XCTAssertTrue(output.stderr.contains("FAIL failing.yaml:"), output.stderr)
        XCTAssertFalse(output.stderr.contains("outputs"), "no summary\n\(output.stderr)")
    }

    func testCheckPrintsOnlyFailuresOnStandardError() throws {
        let passing = try run(["check", "passing.yaml", "--quiet"])
        XCTAssertEqual(passing.status, 0)
        XCTAssertEqual(passing.stdout + passing.stderr, "")
        let failing = try run(["check", "passing.yaml", "failing.yaml", "-q"])
        XCTAssertEqual(failing.status, 1)
        XCTAssertEqual(failing.stdout, "")
        XCTAssertEqual(failing.stderr.split(separator: "\n").map { String($0.prefix(18)) }, ["FAIL failing.yaml:"], failing.stderr)
        // Without it: every check and the total, on standard output.
        let loud = try run(["check", "passing.yaml", "failing.yaml"])
        XCTAssertTrue(loud.stdout.contains("PASS passing.yaml:") && loud.stdout.contains("1 passed, 1 failed"), loud.stdout)
    }

    func testSweepPrintsNoTable() throws {
        let sweep = RunSummaryTests.spec + "sweep:\n  training.learning_rate: [0.5, 1]\n"
        try sweep.write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let output = try run(["sweep", "s.yaml", "-o", "out", "-q"])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout + output.stderr, "")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/summary.json").path))
        XCTAssertNotEqual(try run(["sweep", "s.yaml", "-o", "out"]).stdout, "", "without --quiet, the table")
    }

    func testExplainStillWritesItsPage() throws {
        let page = try run(["explain", "passing.yaml", "--format", "text"])
        XCTAssertEqual(page.status, 0, page.stderr)
        XCTAssertFalse(page.stdout.isEmpty)
        let quiet = try run(["explain", "passing.yaml", "--format", "text", "-q"])
        XCTAssertEqual(quiet.stdout, page.stdout, "the page is the product")
        XCTAssertEqual(quiet.stderr, "")
        let toFile = try run(["explain", "passing.yaml", "--format", "text", "-q", "-o", "page.txt"])
        XCTAssertEqual(toFile.stdout + toFile.stderr, "")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("page.txt"), encoding: .utf8), page.stdout)
    }

    func testValidateAndPlotPrintNothingWhenAllIsWell() throws {
        let validate = try run(["validate", "passing.yaml", "-q"])
        XCTAssertEqual(validate.status, 0)
        XCTAssertEqual(validate.stdout + validate.stderr, "")
        XCTAssertEqual(try run(["passing.yaml", "-o", "r.json", "-q"]).status, 0)
        let plot = try run(["plot", "r.json", "-o", "p.svg", "-q"])
        XCTAssertEqual(plot.status, 0)
        XCTAssertEqual(plot.stdout + plot.stderr, "")
    }

    func testErrorsStillReachStandardError() throws {
        let output = try run(["missing.yaml", "-q"])
        XCTAssertEqual(output.status, 66)
        XCTAssertTrue(output.stderr.contains("missing.yaml"), output.stderr)
    }
}
