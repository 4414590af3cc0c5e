import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import XCTest

/// `nnrun check`, `diff`, golden files, JUnit reports and the JSON Schemas.
final class CheckCommandTests: XCTestCase {
    /// y = w x with w = 0.5, one sample x = 2, t = 2: loss at 0 = 1/2 (2 - 1)^2 = 0.5;
    /// dE/dw = (1 - 2) * 2 = -2; after one step of lr 0.1, w = 0.7 and the output 1.4.
    private let spec = """
        nnrun: 1
        name: checked
        model:
          inputs: 1
          layers:
            - {name: out, units: 1, activation: linear, weights: [[0.5]]}
        data:
          - {inputs: [2], targets: [2]}
        training: {loss: half_squared_error, learning_rate: 0.1, steps: 2}
        expect:
          tolerance: {abs: 1e-12}
          checks:
            - {at: 0, quantity: loss, value: 0.5}
            - {at: 1, quantity: "trace.out.weight_gradient[0][0]", value: -2}
            - {at: 1, quantity: layers.out.weights, value: [[0.7]]}
            - {at: 1, quantity: loss, value: 0.18, tolerance: {rel: 1e-12}}
        """

    private func folder(_ text: String, name: String = "spec.yaml") throws -> (URL, String) {
        let folder = try NnrunProcess.temporaryFolder()
        let path = folder.appendingPathComponent(name)
        try text.write(to: path, atomically: true, encoding: .utf8)
        return (folder, path.path)
    }

    func testPassingChecksPrintOneLineEachAndExit0() throws {
        let (_, path) = try folder(spec)
        let output = try NnrunProcess.run(["check", path])
        XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(lines[0], "PASS \(path):13: loss at 0 = 0.5 (expected 0.5, difference 0.0, tolerance abs 1e-12)")
        XCTAssertEqual(lines[1], "PASS \(path):14: trace.out.weight_gradient[0][0] at 1 = -2.0 (expected -2.0, difference 0.0, tolerance abs 1e-12)")
        XCTAssertEqual(lines[2], "PASS \(path):15: layers.out.weights[0][0] at 1 = 0.7 (expected 0.7, difference 0.0, tolerance abs 1e-12)")
        // loss at 1: 1/2 (2 - 1.4)^2 = 0.18
        XCTAssertTrue(lines[3].hasPrefix("PASS \(path):16: loss at 1 = 0.18"), lines[3])
        XCTAssertEqual(lines[4], "4 passed, 0 failed")
    }

    func testFailingCheckIsReportedWithExpectedActualDifferenceAndLine() throws {
        let (_, path) = try folder(TestSpecs.derived(from: spec, setting: ["expect.checks[2].value": "[[0.75]]"]))
        let output = try NnrunProcess.run(["check", path])
        XCTAssertEqual(output.status, 1)
        // The difference is |0.7 - 0.75| as Float64 arithmetic gives it.
        XCTAssertTrue(output.stdout.contains(
            "FAIL \(path):15: layers.out.weights[0][0] at 1 = 0.7 (expected 0.75, difference \(abs(0.7 - 0.75)), tolerance abs 1e-12)\n"),
                      output.stdout)
        XCTAssertTrue(output.stdout.hasSuffix("3 passed, 1 failed\n"))
        // run reports the same checks but exits 0: check is the CI entry point.
        let run = try NnrunProcess.run([path, "-o", "-"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("  checks   3 passed, 1 failed\n"))
        XCTAssertTrue(run.stdout.contains("\"passed\": false"))
    }

    func testExpectationsAreValidatedWithLocations() throws {
        let bad = try TestSpecs.derived(from: spec, setting: [
            "expect.checks[0].quantity": "los", "expect.checks[2].value": "[0.7]", "expect.checks[3].at": "3",
        ])
        let (_, path) = try folder(bad)
        let output = try NnrunProcess.run(["validate", path])
        XCTAssertEqual(output.status, 65)
        XCTAssertTrue(output.stderr.contains("\(path):13:25: error[NN6004]: expect.checks[0].quantity: unknown quantity 'los' - did you mean 'loss'?\n"), output.stderr)
        XCTAssertTrue(output.stderr.contains("\(path):15:52: error[NN6008]: expect.checks[2].value: expected a list of shape (1, 1) for 'layers.out.weights', found a list of shape (1)\n"), output.stderr)
        XCTAssertTrue(output.stderr.contains("\(path):16:12: error[NN6001]: expect.checks[3].at: step 3 is never reached; expected 0 (before training), a step up to 2, or 'final'\n"), output.stderr)
    }

    func testGoldenRoundTrip() throws {
        let (folder, path) = try folder(spec)
        let golden = folder.appendingPathComponent("golden/checked.json").path
        let update = try NnrunProcess.run(["check", path, "--golden", golden, "--update-golden"])
        XCTAssertEqual(update.status, 0, update.stdout)
        XCTAssertTrue(update.stdout.contains("PASS \(path): golden file \(golden) updated\n"))
        let compare = try NnrunProcess.run(["check", path, "--golden", golden])
        XCTAssertEqual(compare.status, 0, compare.stdout)
        XCTAssertTrue(compare.stdout.contains("PASS \(path): matches golden file \(golden)\n"))
        // Move one number of the golden file: the check fails and names the path.
        var text = try String(contentsOfFile: golden, encoding: .utf8)
        let range = try XCTUnwrap(text.range(of: "\"loss\": 0.5,"))
        text.replaceSubrange(range, with: "\"loss\": 0.5000001,")
        try text.write(toFile: golden, atomically: true, encoding: .utf8)
        let changed = try NnrunProcess.run(["check", path, "--golden", golden])
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stdout.contains("  initial.loss: 0.5000001 vs 0.5 (difference \(abs(0.5000001 - 0.5)))\n"), changed.stdout)
        XCTAssertTrue(changed.stdout.contains("FAIL \(path): 1 difference from golden file \(golden) (golden vs this run)\n"))
        // Within a tolerance it passes.
        XCTAssertEqual(try NnrunProcess.run(["check", path, "--golden", golden, "--abs", "1e-6"]).status, 0)
    }

    func testDiffOfIdenticalDifferentAndForeignFiles() throws {
        let (folder, path) = try folder(spec)
        for name in ["a.json", "b.json"] { _ = try NnrunProcess.run([path, "-o", name], in: folder) }
        let same = try NnrunProcess.run(["diff", "a.json", "b.json"], in: folder)
        XCTAssertEqual(same.status, 0)
        XCTAssertEqual(same.stdout, "no differences\n")

        let (_, other) = try self.folder(TestSpecs.derived(from: spec, setting: ["training.learning_rate": "0.2"]))
        _ = try NnrunProcess.run([other, "-o", folder.appendingPathComponent("c.json").path])
        let different = try NnrunProcess.run(["diff", "a.json", "c.json"], in: folder)
        XCTAssertEqual(different.status, 1)
        // w after one step: 0.5 + 0.1 * 2 = 0.7 against 0.5 + 0.2 * 2 = 0.9.
        XCTAssertTrue(different.stdout.contains("trace[0].layers[0].weights[0][0]: 0.7 vs 0.9 (difference \(abs(0.7 - 0.9)))\n"), different.stdout)
        XCTAssertTrue(different.stdout.contains("spec.sha256: "))
        XCTAssertEqual(try NnrunProcess.run(["diff", "a.json", "c.json", "--abs", "10"], in: folder).status, 1,
                       "the spec's hash still differs (a string)")

        try "{\"format\": \"nnrun.results/2\"}".write(to: folder.appendingPathComponent("future.json"), atomically: true, encoding: .utf8)
        let foreign = try NnrunProcess.run(["diff", "a.json", "future.json"], in: folder)
        XCTAssertEqual(foreign.status, 65)
        XCTAssertEqual(foreign.stderr, "error: the files have different formats ('nnrun.results/1' and 'nnrun.results/2'); this nnrun compares nnrun.results/1 files only\n")
        try "[1, 2]".write(to: folder.appendingPathComponent("list.json"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try NnrunProcess.run(["diff", "a.json", "list.json"], in: folder).stderr,
                       "error: list.json is not an nnrun results file (no \"format\": \"nnrun.results/1\")\n")
        XCTAssertEqual(try NnrunProcess.run(["diff", "a.json", "missing.json"], in: folder).status, 66)
    }

    /// The golden file written from the parent folder (spec path my/x.yaml) matches a run
    /// from inside my/ (spec path x.yaml): the same bytes, so the same sha256; the path is
    /// only where the spec was read from, and is reported as a note.
    func testGoldenFileMatchesARunFromAnotherFolderWithANoteOnThePath() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let inner = folder.appendingPathComponent("my")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        try spec.write(to: inner.appendingPathComponent("x.yaml"), atomically: true, encoding: .utf8)
        let update = try NnrunProcess.run(["check", "my/x.yaml", "--golden", "my/golden/x.json", "--update-golden"], in: folder)
        XCTAssertEqual(update.status, 0, update.stdout + update.stderr)

        let compare = try NnrunProcess.run(["check", "x.yaml", "--golden", "golden/x.json"], in: inner)
        XCTAssertEqual(compare.status, 0, compare.stdout + compare.stderr)
        XCTAssertTrue(compare.stdout.contains(
            "  note: spec.path: \"my/x.yaml\" vs \"x.yaml\" (where the spec was read from; spec.sha256 identifies the spec)\n"), compare.stdout)
        XCTAssertTrue(compare.stdout.contains("PASS x.yaml: matches golden file golden/x.json\n"), compare.stdout)
        XCTAssertTrue(compare.stdout.hasSuffix("5 passed, 0 failed\n"), "4 expectations and the golden file")

        // A changed spec read from the golden file's path still fails: its sha256 differs.
        try TestSpecs.derived(from: spec, setting: ["training.steps": "3"])
            .write(to: inner.appendingPathComponent("x.yaml"), atomically: true, encoding: .utf8)
        let changed = try NnrunProcess.run(["check", "my/x.yaml", "--golden", "my/golden/x.json"], in: folder)
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stdout.contains("  spec.sha256: "), changed.stdout)
        XCTAssertFalse(changed.stdout.contains("note: spec.path"), "same path, no note")
        // --ignore leaves out what differs: the hash, and all that a third step adds or changes.
        let ignoring = try NnrunProcess.run(["check", "my/x.yaml", "--golden", "my/golden/x.json", "--ignore", "spec.sha256",
                                             "--ignore", "steps", "--ignore", "final", "--ignore", "history"], in: folder)
        XCTAssertEqual(ignoring.status, 0, ignoring.stdout + ignoring.stderr)
    }

    /// The same spec run through two paths: diff reports the path as a note and finds no
    /// difference. `--ignore` leaves out members and sections, each with everything in it.
    func testDiffNotesTheSpecPathAndLeavesOutIgnoredPaths() throws {
        let (folder, path) = try folder(spec)
        _ = try NnrunProcess.run(["spec.yaml", "-o", "a.json"], in: folder)
        _ = try NnrunProcess.run([path, "-o", folder.appendingPathComponent("b.json").path])
        let same = try NnrunProcess.run(["diff", "a.json", "b.json"], in: folder)
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        XCTAssertEqual(same.stdout, """
            note: spec.path: "spec.yaml" vs "\(path)" (where the spec was read from; spec.sha256 identifies the spec)
            no differences

            """)
        XCTAssertEqual(try NnrunProcess.run(["diff", "a.json", "b.json", "--ignore", "spec.path"], in: folder).stdout,
                       "no differences\n")

        // learning rate 0.2 instead of 0.1: after one step w = 0.5 + 0.2 * 2 = 0.9 (not 0.7).
        let (_, other) = try self.folder(TestSpecs.derived(from: spec, setting: ["training.learning_rate": "0.2"]))
        _ = try NnrunProcess.run([other, "-o", folder.appendingPathComponent("c.json").path])
        let differing = try NnrunProcess.run(["diff", "a.json", "c.json"], in: folder)
        XCTAssertEqual(differing.status, 1)
        for member in ["spec.sha256", "history.loss[1]", "final.layers[0].weights[0][0]", "trace[0].layers[0].weights[0][0]", "checks[2].actual[0][0]"] {
            XCTAssertTrue(differing.stdout.contains("\n\(member): "), "\(member) differs:\n\(differing.stdout)")
        }
        // The initial state is the same (same weights, same data); everything else is left out.
        let ignored = try NnrunProcess.run(["diff", "a.json", "c.json", "--ignore", "spec", "--ignore", "history", "--ignore", "final",
                                            "--ignore", "trace", "--ignore", "checks"], in: folder)
        XCTAssertEqual(ignored.status, 0, ignored.stdout)
        XCTAssertEqual(ignored.stdout, "no differences\n")
        XCTAssertEqual(ignored.stderr, "")
        // One element left out: only it goes, its neighbours stay.
        let element = try NnrunProcess.run(["diff", "a.json", "c.json", "--ignore", "final.layers[0].weights"], in: folder)
        XCTAssertFalse(element.stdout.contains("final.layers[0].weights"), element.stdout)
        XCTAssertTrue(element.stdout.contains("\nfinal.loss: "), element.stdout)

        let misspelled = try NnrunProcess.run(["diff", "a.json", "b.json", "--ignore", "spec.paht"], in: folder)
        XCTAssertEqual(misspelled.stderr, "warning: --ignore spec.paht: neither file has it\n")
        let unreadable = try NnrunProcess.run(["diff", "a.json", "b.json", "--ignore", "$.spec"], in: folder)
        XCTAssertEqual(unreadable.status, 64)
        XCTAssertTrue(unreadable.stderr.contains("--ignore: cannot read the path '$.spec'"), unreadable.stderr)
        XCTAssertEqual(try NnrunProcess.run(["check", path, "--ignore", "trace"]).status, 64, "--ignore needs --golden")
    }

    /// A spec without expect: checks passes whatever it produces: check warns on standard
    /// error and counts it; with --require-checks it fails (exit 1). JUnit reports it as
    /// skipped, or as a failure.
    func testSpecWithoutChecksIsWarnedAboutOrFailsWithRequireChecks() throws {
        let (folder, unchecked) = try folder(spec.components(separatedBy: "\nexpect:")[0], name: "unchecked.yaml")
        let checked = folder.appendingPathComponent("checked.yaml").path
        try spec.write(toFile: checked, atomically: true, encoding: .utf8)

        let report = folder.appendingPathComponent("report.xml")
        let warned = try NnrunProcess.run(["check", checked, unchecked, "--junit", report.path])
        XCTAssertEqual(warned.status, 0, warned.stdout + warned.stderr)
        XCTAssertEqual(warned.stderr, "warning: \(unchecked): nothing is checked: the spec has no expect: checks; add an expect: section or --golden, or make this an error with --require-checks\n")
        XCTAssertTrue(warned.stdout.hasSuffix("\n4 passed, 0 failed, 1 without checks\n"), warned.stdout)
        var collector = try junit(report)
        XCTAssertEqual(collector.suites.last, ["name": unchecked, "tests": "1", "failures": "0", "skipped": "1"])
        XCTAssertEqual(collector.skipped, ["\(unchecked): nothing is checked: the spec has no expect: checks"])
        XCTAssertEqual(collector.failures, [])

        let required = try NnrunProcess.run(["check", checked, unchecked, "--require-checks", "--junit", report.path])
        XCTAssertEqual(required.status, 1)
        XCTAssertEqual(required.stderr, "")
        XCTAssertTrue(required.stdout.hasSuffix(
            "FAIL \(unchecked): nothing is checked: the spec has no expect: checks (--require-checks)\n4 passed, 1 failed\n"), required.stdout)
        collector = try junit(report)
        XCTAssertEqual(collector.suites.last, ["name": unchecked, "tests": "1", "failures": "1"])
        XCTAssertEqual(collector.failures, ["FAIL \(unchecked): nothing is checked: the spec has no expect: checks (--require-checks)"])

        // A golden file is a check: no warning, and --require-checks is satisfied.
        let golden = folder.appendingPathComponent("golden.json").path
        _ = try NnrunProcess.run(["check", unchecked, "--golden", golden, "--update-golden"])
        let compared = try NnrunProcess.run(["check", unchecked, "--golden", golden, "--require-checks"])
        XCTAssertEqual(compared.status, 0, compared.stdout + compared.stderr)
        XCTAssertEqual(compared.stderr, "")
        XCTAssertTrue(compared.stdout.hasSuffix("1 passed, 0 failed\n"), compared.stdout)
    }

    private func junit(_ report: URL) throws -> JUnitCollector {
        let collector = JUnitCollector()
        let parser = XMLParser(data: try Data(contentsOf: report))
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "the report is well-formed XML")
        return collector
    }

    func testJUnitReportParsesAsXMLWithOneTestcasePerCheck() throws {
        let (folder, path) = try folder(TestSpecs.derived(from: spec, setting: ["expect.checks[1].value": "-3"]))
        let report = folder.appendingPathComponent("report.xml")
        let output = try NnrunProcess.run(["check", path, "--junit", report.path])
        XCTAssertEqual(output.status, 1)
        let collector = JUnitCollector()
        let parser = XMLParser(data: try Data(contentsOf: report))
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "the report is well-formed XML")
        XCTAssertEqual(collector.suites, [[ "name": path, "tests": "4", "failures": "1"]])
        XCTAssertEqual(collector.cases.count, 4)
        XCTAssertEqual(collector.cases[1]["name"], "trace.out.weight_gradient[0][0] at 1 (line 14)")
        XCTAssertEqual(collector.failures, ["FAIL \(path):14: trace.out.weight_gradient[0][0] at 1 = -2.0 (expected -3.0, difference 1.0, tolerance abs 1e-12)"])
    }

    /// An invalid spec is one failing case whose failure carries its diagnostics: the first
    /// in the message, all of them (with ID, location, source line and fix) in the body.
    func testJUnitReportOfAnInvalidSpecCarriesItsDiagnostics() throws {
        let (folder, path) = try folder(TestSpecs.derived(from: spec, setting: ["expect.checks[0].quantity": "los"]))
        let report = folder.appendingPathComponent("report.xml")
        let output = try NnrunProcess.run(["check", path, "--junit", report.path])
        XCTAssertEqual(output.status, 65, output.stderr)
        let collector = try junit(report)
        XCTAssertEqual(collector.suites, [["name": path, "tests": "1", "failures": "1"]])
        XCTAssertEqual(collector.failures.count, 1)
        let body = collector.failures.first ?? ""
        XCTAssertTrue(body.hasPrefix("\(path):13:25: error[NN6004]: expect.checks[0].quantity: unknown quantity 'los' - did you mean 'loss'?\n"), body)
        XCTAssertTrue(body.contains("\n  fix: expected loss, accuracy, "), body)
    }

    /// Results files of every shipped spec against the results JSON Schema, with Python's
    /// jsonschema (an independent validator). The spec schema: SpecSchemaTests.
    func testResultsMatchTheirSchema() throws {
        let python = URL(fileURLWithPath: "/usr/bin/env")
        try requirePython("import jsonschema, yaml; yaml.CSafeLoader",
                          else: "python3 with jsonschema and PyYAML (built with libyaml) is needed: pip install jsonschema pyyaml")
        let script = Repository.file("Tests/CLITests/Fixtures/validate_schema.py").path
        let specs = try FileManager.default.contentsOfDirectory(atPath: Repository.file("specs").path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { Repository.file("specs/\($0)").path }
        let folder = try NnrunProcess.temporaryFolder()
        var results: [String] = []
        for (index, spec) in specs.enumerated() {
            let path = folder.appendingPathComponent("\(index).json").path
            XCTAssertEqual(try NnrunProcess.run([spec, "-o", path]).status, 0)
            results.append(path)
        }
        let (_, checked) = try self.folder(spec)
        let timed = folder.appendingPathComponent("timed.json").path
        _ = try NnrunProcess.run([checked, "-o", timed, "--timing"])
        let (_, divergent) = try self.folder(TestSpecs.divergent)
        let diverged = folder.appendingPathComponent("diverged.json").path
        XCTAssertEqual(try NnrunProcess.run([divergent, "-o", diverged]).status, 3)
        results.append(diverged)
        let resultsResult = try NnrunProcess.run(
            ["python3", script, Repository.file("Docs/schemas/results.schema.json").path] + results + [timed], executable: python)
        XCTAssertEqual(resultsResult.status, 0, resultsResult.stdout + resultsResult.stderr)
        XCTAssertTrue(resultsResult.stdout.hasSuffix("\(results.count + 1) files, 0 errors\n"))
    }

    func testSchemaCommandPrintsTheDocumentedSchemas() throws {
        for kind in ["spec", "results", "plan"] {
            let output = try NnrunProcess.run(["schema", kind])
            XCTAssertEqual(output.status, 0)
            XCTAssertEqual(output.stdout, try String(contentsOf: Repository.file("Docs/schemas/\(kind).schema.json"), encoding: .utf8))
        }
    }
}

/// Collects <testsuite>, <testcase> attributes, <failure> texts and <skipped> messages.
private final class JUnitCollector: NSObject, XMLParserDelegate {
    var suites: [[String: String]] = []
    var cases: [[String: String]] = []
    var failures: [String] = []
    var skipped: [String] = []
    private var text: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "testsuite": suites.append(attributes)
        case "testcase": cases.append(attributes)
        case "failure": text = ""
        case "skipped": skipped.append(attributes["message"] ?? "")
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "failure", let text { failures.append(text) }
        if name == "failure" { text = nil }
    }
}
