import Planning
import Running
import Validation

/// Training replayed up to one step, with that step's trace and the parameters it
/// started from: what `explain` writes out and `gradcheck` checks.
public struct StepReplay: Sendable {
    public var plan: Plan
    public var result: TrainingResult
    /// The trace of the step.
    public var trace: TraceStep
    /// The parameters the step started from.
    public var before: [LayerParameters]

    /// The spec cut to `step` updates, tracing that step and the one before it; nil when
    /// training does not reach the step (it diverged or was interrupted first).
    public static func truncated(_ spec: ValidatedSpec, to step: Int) -> ValidatedSpec {
        var truncated = spec
        truncated.training.steps = step
        truncated.record = .init(every: step, traceSteps: step > 1 ? [step - 1, step] : [step])
        truncated.expectations = []
        return truncated
    }

    public init?(_ spec: ValidatedSpec, step: Int) {
        plan = Planner.plan(StepReplay.truncated(spec, to: step))
        result = Runner.run(plan)
        guard let traced = result.trace.last, traced.step == step else { return nil }
        trace = traced
        before = step == 1 ? result.initial.layers : zip(result.trace[0].layers, plan.layers).map { traced, layer in
            LayerParameters(name: traced.name, weights: traced.weights, bias: traced.bias, biasShared: layer.biasShared)
        }
    }
}
