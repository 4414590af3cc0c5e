import CKernels

// The evaluation and update operations through the small-network path when it is there
// and the pass is small enough (`DenseStep`), else in a few passes on both threads when
// they split work (Workspace+TwoThreadPasses.swift), else operation by operation: the same
// bits every way.
extension Workspace {
    /// The plan's evaluation operations on the current rows: forward passes and the loss.
    /// With `gatheringBatchFrom`, the rows are a batch whose samples are gathered first
    /// (`Workspace.evaluateBatch`).
    @inline(__always)
    func runEvaluation(gatheringBatchFrom first: Int? = nil) {
        let dense = denseStep?.fits(rows: rows) == true ? denseStep : nil
        if dense == nil, splitsWork, splitsByRows {
            runEvaluationOnTwoThreads(gatheringBatchFrom: first)  // each thread gathers its rows
            return
        }
        if let first { gatherBatch(rows: 0..<rows, from: first) }
        if let dense {
            multiplyAdds &+= rows * evaluationMultiplyAdds
            loss = nn_dense_forward(dense.network, rowInputs, rowTargets, rows)
        } else {
            execute(evaluation)
        }
    }

    /// The plan's update operations on the current rows (after `runEvaluation` on them).
    @inline(__always)
    func runUpdate() {
        if let dense = denseStep, dense.fits(rows: rows) {
            multiplyAdds &+= rows * updateMultiplyAdds
            dense.network.pointee.learning_rate = learningRate
            nn_dense_update(dense.network, rowInputs, rows, Int64(optimizerStep))
        } else if splitsWork, deferredUpdate, splitsByRows {
            runDeferredUpdateOnTwoThreads()
        } else {
            execute(update)
        }
    }

    /// The small path, when runs of full-batch steps can go through `fullBatchSteps`: the
    /// whole training set is one small pass. Nil otherwise.
    var fullBatchStep: DenseStep? {
        guard let dense = denseStep, dense.fits(rows: sampleCount), sampleCount <= rowCapacity else { return nil }
        return dense
    }

    /// Up to `count` full-batch steps in data order, numbered from `first`, on the training
    /// set whose forward pass the activations hold (with loss `batchLoss`): each the update
    /// and then the evaluation of the set, as the runner's loop does them one by one. Stops
    /// after a step whose batch or evaluation loss is not finite. Each step's evaluation loss
    /// and right answers are in `denseStep.losses` and `.correct`; afterwards the workspace
    /// holds the last evaluation, as after `evaluate(.training)`. `dense` is `fullBatchStep`;
    /// `count` at least 1. Returns the steps done (at least 1).
    func fullBatchSteps(_ dense: DenseStep, first: Int, count: Int, batchLoss: Double) -> Int {
        useTrainingSet()
        dense.network.pointee.learning_rate = learningRate
        let done = nn_dense_full_batch_steps(
            dense.network, rowInputs, rowTargets, rows, Int64(first), count, batchLoss,
            dense.losses.baseAddress, classification ? dense.correct.baseAddress : nil)
        multiplyAdds &+= done * rows * (evaluationMultiplyAdds + updateMultiplyAdds)
        optimizerStep = first + done - 1
        loss = dense.losses[done - 1]
        gatherTrainingOutputs(start: 0)
        return done
    }
}
