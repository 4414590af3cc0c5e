import Planning
import Results
import Running
import Spec
import Sweeps
import Validation

/// A valid spec's network with one set of parameters: what `export` writes and `predict`
/// evaluates. The parameters are the final ones of a run done now, the initial ones, or
/// those of a results file written for this very spec (its `spec.sha256` is checked).
public struct TrainedModel {
    /// Where the parameters come from.
    public enum Source: Sendable, Equatable {
        /// Train the spec now and take the final parameters.
        case trained
        /// The plan's initial parameters (listed or drawn), before any step.
        case initial
        /// A results file's `final` parameters, or its `initial` ones when `initial` is set.
        case results(path: String, initial: Bool)
    }

    public let path: String
    /// The spec's identity (`SpecCompilation.sha256`, the results file's `spec.sha256`).
    public let sha256: String
    /// The spec as written (its data section names CSV columns and classes).
    public let spec: Spec?
    /// The valid spec, without its samples.
    public let validated: ValidatedSpec
    public let plan: Plan
    /// In the plan's parameter layout.
    public let parameters: [Double]
    /// Updates behind the parameters (0 for initial ones).
    public let step: Int
    public let source: Source

    /// Compiles and plans the spec at `path`, then takes its parameters from `source`;
    /// `training` runs the plan when the source is `.trained` (the command adds its progress
    /// line and interrupts). A run that diverged or was stopped exports nothing.
    public static func load(_ path: String, overrides: [SpecOverride] = [], source: Source, memoryLimit: Int,
                            warnings: (SpecCompilation) -> Void = { _ in },
                            training: (PlannedSpec) -> SpecRun = { $0.run() }) throws(PipelineFailure) -> TrainedModel {
        let compilation = SpecCompilation(path: path, overrides: overrides)
        if case .valid = compilation.outcome { warnings(compilation) }
        let planned = try PlannedSpec(compilation, memoryLimit: memoryLimit)
        let parameters: [Double], step: Int
        switch source {
        case .initial:
            (parameters, step) = (planned.plan.initialParameters, 0)
        case .trained:
            let run = training(planned)
            switch run.result.status {
            case .completed: break
            case .diverged: throw .trainingDiverged(spec: path, step: run.result.steps)
            case .interrupted: throw .trainingInterrupted(spec: path, step: run.result.steps)
            }
            guard let flat = planned.plan.flatParameters(run.result.final.layers) else {
                throw .unrecognized(path: path, problem: "the run's parameters do not fit its plan (a bug in nnrun)")
            }
            // With early stopping's restore_best, the step whose parameters `final` holds.
            (parameters, step) = (flat, run.result.final.step)
        case .results(let resultsPath, let initial):
            (parameters, step) = try ResultsParameters.read(resultsPath, initial ? .initial : .final, plan: planned.plan,
                                                            specPath: path, specSHA256: compilation.sha256,
                                                            checkingScaling: true)
        }
        return TrainedModel(path: path, sha256: compilation.sha256, spec: compilation.spec,
                            validated: planned.spec, plan: planned.plan, parameters: parameters, step: step, source: source)
    }

    /// The parameters per layer, a shared bias repeated per unit.
    public var layers: [LayerParameters] { plan.layerParameters(parameters) }

    /// `final parameters after 1000 steps of training`, for metadata and messages.
    public var parametersDescription: String {
        switch source {
        case .trained: return "final parameters after \(step) step\(step == 1 ? "" : "s") of training"
        case .initial: return "initial parameters"
        case .results(let path, let initial):
            return initial ? "initial parameters of the results file '\(path)'"
                : "final parameters (step \(step)) of the results file '\(path)'"
        }
    }
}
