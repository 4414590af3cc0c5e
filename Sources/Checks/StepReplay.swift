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
    /// The trace of the step before (its parameters and optimizer memory are where this
    /// step starts); nil for step 1.
    public var previous: TraceStep?
    /// The parameters the step started from.
    public var before: [LayerParameters]
    /// The mean loss over the whole training set before the step and after it.
    public var trainingLossBefore: Double
    public var trainingLossAfter: Double

    /// The spec cut to `step` updates, tracing that step and the one before it. The
    /// training set is evaluated after step 0, step - 1 and step (every step - 1 steps,
    /// and the last).
    public static func truncated(_ spec: ValidatedSpec, to step: Int) -> ValidatedSpec {
        var truncated = spec
        truncated.training.steps = step
        truncated.record = .init(every: max(step - 1, 1), traceSteps: step > 1 ? [step - 1, step] : [step])
        truncated.expectations = []
        // Early stopping never changes a step, only where training ends: without it the
        // replay reaches the step, and its last evaluation is that step's own parameters.
        truncated.training.earlyStopping = nil
        return truncated
    }

    /// nil when training does not reach the step (it diverged or was interrupted first).
    public init?(_ spec: ValidatedSpec, step: Int) {
        plan = Planner.plan(StepReplay.truncated(spec, to: step))
        result = Runner.run(plan)
        guard let traced = result.trace.last, traced.step == step,
              let recorded = result.history.steps.firstIndex(of: step - 1) else { return nil }
        let previous = step > 1 ? result.trace.first : nil
        let layers = plan.layers
        trace = traced
        self.previous = previous
        before = previous.map { previous in
            zip(previous.layers, layers).map { traced, layer in
                LayerParameters(name: traced.name, weights: traced.weights, bias: traced.bias, biasShared: layer.biasShared)
            }
        } ?? result.initial.layers
        trainingLossBefore = result.history.loss[recorded]
        trainingLossAfter = result.final.loss
    }
}
