import Checks
import Foundation
import Planning
import Results
import Running
import Validation

/// A spec compiled, planned, trained and checked: what `run` and `check` share.
struct SpecRun {
    let path: String
    let compilation: SpecCompilation
    let validated: ValidatedSpec
    let plan: Plan
    let result: TrainingResult
    let checks: [CheckOutcome]
    let elapsed: Duration

    /// Prints diagnostics and throws the matching exit code when the spec is not valid or
    /// would need more memory than `limit` allows (checked before anything is allocated).
    init(path: String, limit: MemoryLimit, showProgress: Bool = false) throws {
        self.path = path
        (compilation, validated) = try SpecCompilation.validSpec(at: path)
        try limit.check(Planner.estimate(validated), spec: path)
        plan = Planner.plan(validated)
        let started = ContinuousClock.now
        let line = ProgressLine(Progress(enabled: showProgress, total: plan.training.steps))
        result = Runner.run(plan, stopRequested: { Interrupts.requested }, progress: { step, loss in
            line.progress.update(step: step, loss: loss)
        })
        line.progress.finish()
        elapsed = ContinuousClock.now - started
        checks = Checker.evaluate(validated.expectations, against: result)
    }

    /// The results file's content; `timing` adds the training time (and with it, variation).
    func document(timing: Bool = false) -> JSONValue {
        let source = ResultsFile.Source(name: validated.name, path: path, bytes: compilation.bytes)
        var document = ResultsFile.json(result, source: source, checks: checks)
        if timing, case .object(var members) = document {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            members.append(("timing", .object([("training_seconds", .number(seconds))])))
            document = .object(members)
        }
        return document
    }

    var settings: String {
        "\(plan.training.optimizer.name), learning rate \(plan.training.learningRate), "
            + "batch \(plan.training.batch.description), \(plan.training.update.rawValue) update"
    }

    var summary: String {
        Summary.text(result, specName: validated.name, settings: settings, resultsPath: nil)
    }

    /// One line per check: `PASS file:line: ...`.
    var checkLines: [String] { checks.map { $0.line(file: path) } }

    var failedChecks: Int { checks.filter { !$0.passed }.count }
}

/// The progress line, in a box the runner's callback can update.
final class ProgressLine {
    var progress: Progress
    init(_ progress: Progress) { self.progress = progress }
}
