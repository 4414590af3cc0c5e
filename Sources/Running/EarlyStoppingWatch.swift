import Planning
import Validation

/// The runner's side of early stopping: applies `EarlyStoppingRule` at the check steps
/// (multiples of `record.every`, where the history records every series) and keeps a
/// copy of the best step's parameters when the spec asks to restore them.
struct EarlyStoppingWatch {
    var rule: EarlyStoppingRule
    let every: Int
    /// The parameters at the best step so far (restore_best only; allocated once).
    var bestParameters: [Double]
    var stopped = false

    init(_ settings: EarlyStopping, plan: Plan) {
        rule = EarlyStoppingRule(settings)
        every = plan.record.every
        bestParameters = settings.restoreBest ? [Double](repeating: 0, count: plan.parameterCount) : []
    }

    /// Checks the monitored value of `metrics` when `step` is a check step; true when training stops here.
    mutating func stops(after step: Int, _ metrics: Runner.Metrics, _ workspace: Workspace) -> Bool {
        guard step % every == 0 else { return false }
        let value: Double
        switch rule.settings.monitor {
        case .loss: value = metrics.loss
        case .validationLoss: value = metrics.validationLoss
        case .validationAccuracy: value = metrics.validationAccuracy
        }
        switch rule.check(step: step, value: value) {
        case .improved:
            if rule.settings.restoreBest {
                bestParameters.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: workspace.parameters) }
            }
            return false
        case .waiting:
            return false
        case .stop:
            stopped = true
            return true
        }
    }

    /// With restore_best and a best step: puts its parameters back and returns that step.
    func restoreBest(_ workspace: Workspace) -> Int? {
        guard rule.settings.restoreBest, let step = rule.bestStep else { return nil }
        _ = workspace.parameters.update(fromContentsOf: bestParameters)
        return step
    }

    func outcome(step: Int, parametersStep: Int, plan: Plan) -> StoppingOutcome {
        let perEpoch = plan.stepsPerEpoch
        return StoppingOutcome(monitor: rule.settings.monitor, stopped: stopped, step: step,
                               epoch: (step + perEpoch - 1) / max(perEpoch, 1),
                               bestStep: rule.bestStep, best: rule.bestStep == nil ? nil : rule.best,
                               parametersStep: parametersStep)
    }
}
