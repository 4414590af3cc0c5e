import ArgumentParser
import Foundation
import Pipeline
import Sweeps
import Results

/// `nnrun check SPEC...`: the CI entry point. Runs each spec, evaluates its `expect:`
/// checks (and, with --golden, compares with a stored results file); exit 0 when all
/// pass, 1 when any fails. A spec that checks nothing gets a warning, or with
/// --require-checks fails.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run specs and evaluate their expectations; exit 1 when any check fails (see Docs/ci.md).")

    @Argument(help: "Spec files to check.", completion: .specFile)
    var specs: [String]

    @Option(help: ArgumentHelp("Compare the run with this stored results file (one spec only).", valueName: "path"), completion: .resultsFile)
    var golden: String?

    @Flag(help: "Rewrite the --golden file with this run's results instead of comparing.")
    var updateGolden = false

    @Option(name: .customLong("abs"), help: "Absolute tolerance for --golden comparisons.")
    var absolute = 0.0

    @Option(name: .customLong("rel"), help: "Relative tolerance for --golden comparisons.")
    var relative = 0.0

    @Option(help: ArgumentHelp("Also write a JUnit XML report here.", valueName: "path"), completion: .outputFile)
    var junit: String?

    @Flag(help: "Fail (exit 1) for a spec that checks nothing: no expect: checks and no --golden. Without it such a spec gets a warning.")
    var requireChecks = false

    @OptionGroup var ignoring: IgnoredPaths

    func validate() throws {
        if specs.isEmpty { throw ValidationError("give at least one spec, e.g. 'nnrun check specs/*.yaml'") }
        if golden != nil && specs.count != 1 { throw ValidationError("--golden compares one spec; got \(specs.count)") }
        if updateGolden && golden == nil { throw ValidationError("--update-golden needs --golden PATH") }
        if absolute < 0 || relative < 0 { throw ValidationError("tolerances must be 0 or more") }
        if !ignoring.paths.isEmpty && golden == nil { throw ValidationError("--ignore applies to a --golden comparison; give --golden PATH") }
    }

    @OptionGroup var overrides: Overrides

    @OptionGroup var quiet: Quiet

    @OptionGroup var memory: MemoryLimit

    @OptionGroup var kernels: KernelChoice

    func run() throws {
        var suites: [JUnitReport.Suite] = []
        var passed = 0, failed = 0, unchecked = 0
        var worst = ExitStatus.ok
        for path in specs {
            let run: SpecRun
            do {
                run = try SpecRun.trained(path, overrides: overrides, memory: memory, kernels: kernels.options)
            } catch {
                // The spec counts as one failing case; the others are still checked.
                let status = CommandFailure.report(error)
                worst = max(worst, status)
                failed += 1
                suites.append(.init(name: path, cases: [Self.invalidSpecCase(path, overrides: overrides.list, status: status.rawValue)]))
                continue
            }
            var cases = run.checks.map { outcome in
                JUnitReport.Case(name: "\(outcome.expectation.text) at \(outcome.expectation.atFinal ? "final" : String(outcome.expectation.step)) (line \(outcome.expectation.location.line))",
                                 line: outcome.line(file: path), passed: outcome.passed)
            }
            for (outcome, line) in zip(run.checks, run.checkLines) { outcome.passed ? quiet.chatter(line) : quiet.problem(line) }
            if run.result.status != .completed {
                let line = "FAIL \(path): training \(run.result.status.rawValue) at step \(run.result.steps)"
                quiet.problem(line)
                cases.append(.init(name: "training completes", line: line, passed: false))
            }
            if let golden {
                cases.append(try compareGolden(run, golden))
            } else if run.checks.isEmpty {
                // A CI gate that checks nothing passes whatever the run produced: say so.
                let why = "\(path): nothing is checked: the spec has no expect: checks"
                if requireChecks {
                    let line = "FAIL \(why) (--require-checks)"
                    quiet.problem(line)
                    cases.append(.init(name: "has checks", line: line, passed: false))
                } else {
                    unchecked += 1
                    Terminal.error("warning: \(why); add an expect: section or --golden, or make this an error with --require-checks")
                    cases.append(.init(name: "has checks", line: why, passed: true, skipped: true))
                }
            }
            passed += cases.filter { $0.passed && !$0.skipped }.count
            failed += cases.filter { !$0.passed }.count
            suites.append(.init(name: path, cases: cases))
        }
        if let junit {
            try AtomicFile.write(JUnitReport(suites: suites).xml, to: junit)
        }
        quiet.chatter("\(passed) passed, \(failed) failed" + (unchecked == 0 ? "" : ", \(unchecked) without checks"))
        if worst != .ok { throw CommandFailure(worst) }
        if failed > 0 { throw CommandFailure(.failed) }
    }

    /// The failing case of a spec that could not be run: its diagnostics in the failure's
    /// message (the first, with the count) and body (all, rendered as on the terminal).
    static func invalidSpecCase(_ path: String, overrides: [SpecOverride], status: Int32) -> JUnitReport.Case {
        let compilation = SpecCompilation(path: path, overrides: overrides)
        var line = "\(path): the spec is invalid or unreadable (exit \(status))"
        var details: String?
        switch compilation.outcome {
        case .unreadable(let error):
            line = "\(path): error: cannot read the spec: \(error.reasonText) (exit \(status))"
        case .invalid:
            let errors = compilation.diagnostics.filter { $0.severity == .error }
            if let first = errors.first {
                line = "\(path):\(first.summary)" + (errors.count > 1 ? " (and \(errors.count - 1) more; exit \(status))" : " (exit \(status))")
                details = compilation.renderedDiagnostics
            }
        case .valid:
            break   // valid, but failed later (a sweep's run, memory): the terminal said why
        }
        return .init(name: "spec is valid", line: line, passed: false, details: details)
    }

    private func compareGolden(_ run: SpecRun, _ golden: String) throws -> JUnitReport.Case {
        let document = run.document()
        if updateGolden {
            try AtomicFile.write(document.serialized(), to: golden)
            let line = "PASS \(run.path): golden file \(golden) updated"
            quiet.chatter(line)
            return .init(name: "golden \(golden)", line: line, passed: true)
        }
        let stored = try JSONValue.read(golden, as: .goldenFile)
        // The run's document as a file would give it back (numbers read as written).
        guard let written = try? JSONValue.parse(Data(document.serialized().utf8)) else {
            throw CommandFailure(.internalError, "error: nnrun could not read back the results it wrote")
        }
        let comparison = try ignoring.compare(stored, written, leftName: golden, rightName: "this run",
                                              absolute: absolute, relative: relative)
        let differences = comparison.differences
        for note in comparison.notes { quiet.chatter("  \(note.noteLine)") }
        for difference in differences.prefix(20) { quiet.problem("  \(difference.line)") }
        if differences.count > 20 { quiet.problem("  ... \(differences.count - 20) more differences") }
        let line = differences.isEmpty
            ? "PASS \(run.path): matches golden file \(golden)"
            : "FAIL \(run.path): \(differences.count) difference\(differences.count == 1 ? "" : "s") from golden file \(golden) (golden vs this run)"
        differences.isEmpty ? quiet.chatter(line) : quiet.problem(line)
        return .init(name: "golden \(golden)", line: line, passed: differences.isEmpty)
    }
}
