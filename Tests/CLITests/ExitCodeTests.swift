import Foundation
import TestSupport
import XCTest

/// The documented exit codes (Docs/exit-codes.md) and outputs, checked on the real executable.
final class ExitCodeTests: XCTestCase {
    private let tutorial = Repository.file("specs/tutorial.yaml").path

    private func writeSpec(_ text: String, in folder: URL, name: String = "spec.yaml") throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testTutorialRunsAndWritesTheDefaultResultsFile() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let output = try NnrunProcess.run([tutorial], in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasPrefix("tutorial: trained 10000 steps"), output.stdout)
        XCTAssertTrue(output.stdout.contains("results  tutorial.results.json"), output.stdout)
        XCTAssertEqual(output.stderr, "", "no progress line when standard error is not a terminal")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("tutorial.results.json").path))
    }

    /// `nnrun SPEC` is `nnrun run SPEC`, and two runs give the same bytes.
    func testRunIsTheDefaultCommandAndDeterministic() throws {
        let folder = try NnrunProcess.temporaryFolder()
        XCTAssertEqual(try NnrunProcess.run([tutorial, "-o", "a.json"], in: folder).status, 0)
        XCTAssertEqual(try NnrunProcess.run(["run", tutorial, "-o", "b.json"], in: folder).status, 0)
        let a = try Data(contentsOf: folder.appendingPathComponent("a.json"))
        let b = try Data(contentsOf: folder.appendingPathComponent("b.json"))
        XCTAssertEqual(a, b)
    }

    func testDashWritesResultsToStandardOutputAndSummaryToStandardError() throws {
        let output = try NnrunProcess.run([tutorial, "-o", "-"])
        XCTAssertEqual(output.status, 0)
        XCTAssertTrue(output.stdout.hasPrefix("{\n  \"format\": \"nnrun.results/1\""))
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)))
        XCTAssertTrue(output.stderr.hasPrefix("tutorial: trained 10000 steps"), output.stderr)
    }

    func testOutputFolderIsCreated() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let output = try NnrunProcess.run([tutorial, "-o", "out/nested/r.json"], in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/nested/r.json").path))
    }

    func testTimingIsOnlyAddedOnRequest() throws {
        let plain = try NnrunProcess.run([tutorial, "-o", "-"])
        XCTAssertFalse(plain.stdout.contains("\"timing\""))
        let timed = try NnrunProcess.run([tutorial, "-o", "-", "--timing"])
        XCTAssertTrue(timed.stdout.contains("\"timing\": {\n    \"training_seconds\": "), timed.stdout.suffix(200).description)
    }

    func testUsageErrorsExit64() throws {
        XCTAssertEqual(try NnrunProcess.run([]).status, 64)
        XCTAssertEqual(try NnrunProcess.run([tutorial, "--no-such-option"]).status, 64)
        XCTAssertEqual(try NnrunProcess.run(["validate"]).status, 64)
    }

    func testInvalidSpecExits65WithLocatedDiagnostics() throws {
        let folder = try NnrunProcess.temporaryFolder()
        var text = try String(contentsOfFile: tutorial, encoding: .utf8)
        let first = try XCTUnwrap(text.range(of: "activation: sigmoid"))   // the hidden layer's
        text.replaceSubrange(first, with: "activation: sigmoud")
        let line = text[..<first.lowerBound].filter { $0 == "\n" }.count + 1
        let path = try writeSpec(text, in: folder)
        for command in [[path], ["validate", path], ["plan", path]] {
            let output = try NnrunProcess.run(command, in: folder)
            XCTAssertEqual(output.status, 65, "\(command)")
            XCTAssertTrue(output.stderr.hasPrefix("""
                \(path):\(line):19: error[NN3009]: model.layers[0].activation: unknown activation 'sigmoud' - did you mean 'sigmoid'?
                    \(line) |       activation: sigmoud
                       |                   ^~~~~~~
                  fix: expected one of 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear' or 'softmax'
                """), output.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("spec.results.json").path),
                       "nothing is written for an invalid spec")
    }

    func testMissingOrUnreadableSpecExits66() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let missing = try NnrunProcess.run(["no-such-spec.yaml"], in: folder)
        XCTAssertEqual(missing.status, 66)
        XCTAssertEqual(missing.stderr, "no-such-spec.yaml: error: cannot read the spec: no such file\n")
        let isFolder = try NnrunProcess.run(["validate", folder.path])
        XCTAssertEqual(isFolder.status, 66)
        XCTAssertTrue(isFolder.stderr.contains("it is a folder, not a spec file"))
        // A missing file outranks an invalid one when validating several.
        let bad = try writeSpec("nnrun: 1\n", in: folder)
        XCTAssertEqual(try NnrunProcess.run(["validate", bad, "no-such-spec.yaml"], in: folder).status, 66)
    }

    /// Every command that reads a file says the same thing about one it cannot read: the
    /// path, the kind of file and the system's reason (before: "cannot read the file", or for
    /// a sweep "cannot read the spec" without a reason).
    func testEveryCommandReportsAnUnreadableFileInOneWording() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let diff = try NnrunProcess.run(["diff", "a.json", "b.json"], in: folder)
        XCTAssertEqual(diff.status, 66)
        XCTAssertEqual(diff.stderr, "a.json: error: cannot read the results file: no such file\n")
        let plot = try NnrunProcess.run(["plot", "r.json", "-o", "p.svg"], in: folder)
        XCTAssertEqual(plot.status, 66)
        XCTAssertEqual(plot.stderr, "r.json: error: cannot read the results file: no such file\n")
        let sweep = try NnrunProcess.run(["sweep", "s.yaml"], in: folder)
        XCTAssertEqual(sweep.status, 66)
        XCTAssertEqual(sweep.stderr, "s.yaml: error: cannot read the spec: no such file\n")
        let spec = try writeSpec(TestSpecs.twoSampleLine, in: folder)
        let golden = try NnrunProcess.run(["check", spec, "--golden", "g.json"], in: folder)
        XCTAssertEqual(golden.status, 66)
        XCTAssertTrue(golden.stderr.hasSuffix("g.json: error: cannot read the golden file: no such file; create it with --update-golden\n"), golden.stderr)
        // A folder given as a results file: the same reader, the same words.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("dir.json"), withIntermediateDirectories: true)
        XCTAssertEqual(try NnrunProcess.run(["diff", "dir.json", "dir.json"], in: folder).stderr,
                       "dir.json: error: cannot read the results file: it is a folder, not a file\n")
    }

    /// A spec that never ends (a device that reports no size) is refused at the spec size
    /// limit, 16 MiB, instead of being read until memory runs out.
    func testAnEndlessSpecIsRefusedAtTheSizeLimit() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/zero"), "needs /dev/zero")
        let output = try NnrunProcess.run(["validate", "/dev/zero"])
        XCTAssertEqual(output.status, 65)
        XCTAssertTrue(output.stderr.hasPrefix("/dev/zero:1:1: error[NN0001]: the file has more than 16777216 bytes; specs are limited to 16777216 bytes\n"), output.stderr)
    }

    func testUnwritableOutputExits73AndKeepsNothingHalfWritten() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let blocker = folder.appendingPathComponent("file")
        try "x".write(to: blocker, atomically: true, encoding: .utf8)
        let output = try NnrunProcess.run([tutorial, "-o", blocker.path + "/r.json"])
        XCTAssertEqual(output.status, 73)
        XCTAssertTrue(output.stderr.hasPrefix("error: cannot write '\(blocker.path)/r.json'"), output.stderr)
        XCTAssertEqual(try String(contentsOf: blocker, encoding: .utf8), "x")
    }

    func testValidateReportsEachValidSpec() throws {
        let published = Repository.file("specs/tutorial-published.yaml").path
        let output = try NnrunProcess.run(["validate", tutorial, published])
        XCTAssertEqual(output.status, 0)
        XCTAssertEqual(output.stdout, "\(tutorial): valid\n\(published): valid\n")
    }

    func testPlanShowsShapesParametersAndOperations() throws {
        let output = try NnrunProcess.run(["plan", tutorial])
        XCTAssertEqual(output.status, 0)
        for expected in ["1  hidden  (2, 2)           sigmoid     4        1 shared (fixed)  5",
                         "total parameters: 10 (8 trained)",
                         "6. propagate 'output' -> 'hidden': dE/dout = W^T delta",
                         "10. update 'output': W -= 0.5 dE/dW"] {
            XCTAssertTrue(output.stdout.contains(expected), "missing '\(expected)' in\n\(output.stdout)")
        }
    }
}

