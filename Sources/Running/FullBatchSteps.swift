import Planning

/// A run of full-batch steps in data order done in one call (`Workspace.fullBatchSteps`),
/// up to the next multiple of 4,096 steps (where the runner reports progress) or the last
/// step, and each step's evaluation as the runner records it.
struct FullBatchSteps {
    let count: Int
    /// The loss of the last step's batch: the evaluation before it.
    let lastBatchLoss: Double
    private let workspace: Workspace
    private let judged: Double

    /// Runs the steps after step `done`; `loss` is the evaluation the activations hold.
    init(_ workspace: Workspace, _ plan: Plan, after done: Int, loss: Double) {
        let wanted = min(plan.training.steps - done, DenseStep.stepsPerCall - done % DenseStep.stepsPerCall)
        self.workspace = workspace
        let count = workspace.fullBatchSteps(first: done + 1, count: wanted, batchLoss: loss)
        self.count = count
        if count > 1, let dense = workspace.denseStep {
            lastBatchLoss = dense.losses[count - 2]
        } else {
            lastBatchLoss = loss
        }
        judged = Double(plan.training.loss == .crossEntropy ? plan.sampleCount : plan.sampleCount * plan.outputCount)
    }

    /// The evaluation after the index-th step of the run, as `Runner.evaluate` gives it.
    func metrics(_ index: Int) -> Runner.Metrics {
        guard let dense = workspace.denseStep else {
            return Runner.Metrics(loss: .nan, accuracy: .nan, validationLoss: .nan, validationAccuracy: .nan)
        }
        let accuracy = workspace.classification ? Double(dense.correct[index]) / judged : .nan
        return Runner.Metrics(loss: dense.losses[index], accuracy: accuracy, validationLoss: .nan, validationAccuracy: .nan)
    }
}
