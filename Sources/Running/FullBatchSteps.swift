import Planning

/// A run of full-batch steps in data order done in one call (`Workspace.fullBatchSteps`),
/// up to the next multiple of 4,096 steps (where the runner reports progress) or the last
/// step, and each step's evaluation as the runner records it.
struct FullBatchSteps {
    let count: Int
    /// The loss of the last step's batch: the evaluation before it.
    let lastBatchLoss: Double
    // The buffers themselves, not the `DenseStep` holding them: reading them for every
    // recorded step then costs no reference counting.
    private let losses: UnsafeMutableBufferPointer<Double>
    private let correct: UnsafeMutableBufferPointer<Int>
    private let classification: Bool
    private let judged: Double

    /// Runs the steps after step `done` (before the last step); `loss` is the evaluation the
    /// activations hold, `dense` the workspace's `fullBatchStep`.
    init(_ workspace: Workspace, _ dense: DenseStep, _ plan: Plan, after done: Int, loss: Double) {
        let wanted = min(plan.training.steps - done, DenseStep.stepsPerCall - done % DenseStep.stepsPerCall)
        count = workspace.fullBatchSteps(dense, first: done + 1, count: wanted, batchLoss: loss)
        losses = dense.losses
        correct = dense.correct
        lastBatchLoss = count > 1 ? dense.losses[count - 2] : loss
        classification = workspace.classification
        judged = Double(workspace.judgedCount(of: plan.sampleCount))
    }

    /// The evaluation after the index-th step of the run, as `Runner.evaluate` gives it.
    @inline(__always)
    func metrics(_ index: Int) -> Runner.Metrics {
        Runner.Metrics(loss: losses[index], accuracy: accuracy(index), validationLoss: .nan, validationAccuracy: .nan)
    }

    @inline(__always)
    private func accuracy(_ index: Int) -> Double {
        classification ? Double(correct[index]) / judged : .nan
    }

    /// The evaluations after all `count` steps as series: `loss[i]` and `accuracy[i]` the
    /// i-th step's, the values `metrics(i)` gives (each buffer holds `count` values; the
    /// accuracies are wanted for classification only).
    func write(loss: UnsafeMutableBufferPointer<Double>, accuracy accuracies: UnsafeMutableBufferPointer<Double>?) {
        _ = loss.update(fromContentsOf: losses[..<count])
        if let accuracies {
            for index in 0..<count { accuracies[index] = accuracy(index) }
        }
    }
}
