import Checks
import CKernels
import Foundation
import Planning
import Results
import Running
import Sweeps
import Validation

/// A valid spec planned: what training needs, checked against the memory limit before
/// anything is allocated.
public struct PlannedSpec {
    public let path: String
    /// The spec's identity (`SpecCompilation.sha256`), which the results file records.
    public let sha256: String
    /// The `--set` overrides the spec was compiled with, which the results file records.
    public let overrides: [SpecOverride]
    /// The base files the spec extends, which the results file records.
    public let extends: [String]
    /// The spec without its samples: once planned, the plan holds the data, and a second
    /// copy kept through training would double the memory a large data set takes.
    public let spec: ValidatedSpec
    public let plan: Plan

    /// Reads, compiles and plans the spec at `path`, when its estimated memory is at most
    /// `memoryLimit` bytes: the one path from a file to a plan. `warnings` sees the
    /// compilation of a valid spec (its diagnostics, if any, are warnings). The memory the
    /// front end used is handed back to the system before training allocates its own.
    public static func load(_ path: String, overrides: [SpecOverride] = [], memoryLimit: Int,
                            warnings: (SpecCompilation) -> Void = { _ in }) throws(PipelineFailure) -> PlannedSpec {
        let planned = try compileAndPlan(path, overrides: overrides, memoryLimit: memoryLimit, warnings: warnings)
        // The samples were many small arrays: freed, they stay in malloc's heap (and in the
        // process's resident memory) until trimmed. Without this a large data set would
        // count twice in the peak memory.
        nn_release_free_memory()
        return planned
    }

    /// The compilation and its copy of the samples end with this function, before `load` trims the heap.
    private static func compileAndPlan(_ path: String, overrides: [SpecOverride], memoryLimit: Int,
                                       warnings: (SpecCompilation) -> Void) throws(PipelineFailure) -> PlannedSpec {
        let compilation = SpecCompilation(path: path, overrides: overrides)
        if case .valid = compilation.outcome { warnings(compilation) }
        return try PlannedSpec(compilation, memoryLimit: memoryLimit)
    }

    /// Plans the compiled spec when it is valid and its estimated memory is at most
    /// `memoryLimit` bytes (checked before anything is allocated).
    public init(_ compilation: SpecCompilation, memoryLimit: Int) throws(PipelineFailure) {
        var spec = try compilation.validSpec()
        try Planner.estimate(spec).check(limit: memoryLimit, spec: compilation.path)
        path = compilation.path
        sha256 = compilation.sha256
        overrides = compilation.overrides
        extends = compilation.extends
        plan = Planner.plan(spec)
        spec.samples = []
        spec.validationSamples = []
        self.spec = spec
    }

    /// Trains the plan and evaluates the spec's checks.
    public func run(kernels: KernelOptions = .automatic, stopRequested: @escaping () -> Bool = { false },
                    progress: @escaping (Int, Double) -> Void = { _, _ in }) -> SpecRun {
        let started = ContinuousClock.now
        let result = Runner.run(plan, kernels: kernels, stopRequested: stopRequested, progress: progress)
        let elapsed = ContinuousClock.now - started
        // The workspace's freed buffers likewise, before the results file is built.
        nn_release_free_memory()
        return SpecRun(path: path, sha256: sha256, overrides: overrides, extends: extends, validated: spec, training: plan.training, result: result,
                       checks: Checker.evaluate(spec.expectations, against: result), elapsed: elapsed)
    }
}

/// A spec compiled, planned, trained and checked: what `run`, `check` and each run of a sweep produce.
public struct SpecRun {
    public let path: String
    /// The spec's identity (`SpecCompilation.sha256`).
    public let sha256: String
    /// The `--set` overrides, in order.
    public let overrides: [SpecOverride]
    /// The base files of `extends`, nearest first.
    public let extends: [String]
    /// The spec without its samples.
    public let validated: ValidatedSpec
    /// The plan's training settings. The plan itself is not kept: it holds the data, which
    /// the results file does not need.
    public let training: ValidatedSpec.Training
    public let result: TrainingResult
    public let checks: [CheckOutcome]
    public let elapsed: Duration

    /// The results file's content; `timing` adds the training time (and with it, variation).
    public func document(timing: Bool = false) -> JSONValue {
        let source = ResultsFile.Source(name: validated.name, path: path, sha256: sha256,
                                        extends: extends, overrides: overrides.map(\.description))
        var document = ResultsFile.json(result, source: source, checks: checks, inferredClasses: validated.inferredClasses,
                                         validationSplit: validated.validationSplit, inputScaling: validated.inputScaling)
        if timing, case .object(var members) = document {
            let seconds = elapsed.seconds
            members.append(("timing", .object([("training_seconds", .number(seconds))])))
            document = .object(members)
        }
        return document
    }

    public var settings: String {
        "\(training.optimizer.name), learning rate \(training.learningRate)"
            + (training.schedule.map { " (\($0.name.rawValue) schedule)" } ?? "") + ", "
            + "batch \(training.batch.description), \(training.update.rawValue) update"
    }

    /// One line per check: `PASS file:line: ...`.
    public var checkLines: [String] { checks.map { $0.line(file: path) } }

    public var failedChecks: Int { checks.filter { !$0.passed }.count }
}

extension Duration {
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
