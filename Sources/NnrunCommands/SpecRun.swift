import Checks
import CKernels
import Foundation
import Planning
import Results
import Running
import Validation

/// A spec compiled, planned, trained and checked: what `run` and `check` share.
struct SpecRun {
    let path: String
    /// The spec file's bytes (the results file records their hash).
    let bytes: [UInt8]
    /// The spec without its samples: once planned, the plan holds the data, and a second
    /// copy kept through training would double the memory a large data set takes.
    let validated: ValidatedSpec
    /// The plan's training settings. The plan itself is not kept: it holds the data, which
    /// the results file does not need.
    let training: ValidatedSpec.Training
    let result: TrainingResult
    let checks: [CheckOutcome]
    let elapsed: Duration

    /// Prints diagnostics and throws the matching exit code when the spec is not valid or
    /// would need more memory than `limit` allows (checked before anything is allocated).
    init(path: String, limit: MemoryLimit, kernels: KernelOptions = .automatic, showProgress: Bool = false) throws {
        self.path = path
        let plan: Plan
        (bytes, validated, plan) = try SpecRun.planned(path, limit: limit)
        training = plan.training
        let started = ContinuousClock.now
        let line = ProgressLine(Progress(enabled: showProgress, total: plan.training.steps))
        result = Runner.run(plan, kernels: kernels, stopRequested: { Interrupts.requested }, progress: { step, loss in
            line.progress.update(step: step, loss: loss)
        })
        line.progress.finish()
        elapsed = ContinuousClock.now - started
        // The workspace's freed buffers likewise, before the results file is built.
        nn_release_free_memory()
        checks = Checker.evaluate(validated.expectations, against: result)
    }

    /// Compiles and plans the spec at `path`; returns the spec without its samples, so
    /// that the plan holds the only copy of the data, and hands the memory the front end
    /// used back to the system before training allocates its own.
    static func planned(_ path: String, limit: MemoryLimit) throws -> (bytes: [UInt8], spec: ValidatedSpec, plan: Plan) {
        let (bytes, spec, plan) = try compileAndPlan(path, limit: limit)
        // The samples were many small arrays: freed, they stay in malloc's heap (and in the
        // process's resident memory) until trimmed. Without this a large data set would
        // count twice in the peak memory.
        nn_release_free_memory()
        return (bytes, spec, plan)
    }

    private static func compileAndPlan(_ path: String, limit: MemoryLimit) throws -> (bytes: [UInt8], spec: ValidatedSpec, plan: Plan) {
        var (compilation, spec) = try SpecCompilation.validSpec(at: path)
        try limit.check(Planner.estimate(spec), spec: path)
        let plan = Planner.plan(spec)
        spec.samples = []
        spec.validationSamples = []
        return (compilation.bytes, spec, plan)
    }

    /// The results file's content; `timing` adds the training time (and with it, variation).
    func document(timing: Bool = false) -> JSONValue {
        let source = ResultsFile.Source(name: validated.name, path: path, bytes: bytes)
        var document = ResultsFile.json(result, source: source, checks: checks)
        if timing, case .object(var members) = document {
            let seconds = elapsed.seconds
            members.append(("timing", .object([("training_seconds", .number(seconds))])))
            document = .object(members)
        }
        return document
    }

    var settings: String {
        "\(training.optimizer.name), learning rate \(training.learningRate), "
            + "batch \(training.batch.description), \(training.update.rawValue) update"
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
