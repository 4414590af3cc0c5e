import CKernels

// A pass over the rows on both threads in few handoffs. Handing each product and each
// element-wise operation to the other thread in halves of its own costs a handoff per
// operation, leaves the other thread idle through the operations too small to split, and
// moves each half between the CPUs when the next operation divides the work differently
// (on two virtual CPUs, several times dearer at some moments than at others:
// Docs/performance.md, "Two threads on a moving machine"). Rows do not interact until the
// mean loss and the gradients' sums over the rows, so each thread takes its half of the
// rows through everything before that. The same bits as operation by operation: each row's
// values do not depend on the rows computed with it, and each gradient element is the same
// chain of terms whichever thread computes it.
extension Workspace {
    /// Whether the current rows are enough work to go through these passes: a forward pass
    /// of at least `KernelOptions.parallelProduct` multiply-adds, and two rows.
    @inline(__always)
    var splitsByRows: Bool {
        rows >= 2 && rows * evaluationMultiplyAdds >= KernelOptions.parallelProduct
    }

    /// The evaluation operations (every layer forward, then the loss): each thread its half
    /// of the rows, in one handoff, gathering its rows of the batch first when `first` is
    /// given (`evaluateBatch`); then the mean loss over all of them in row order.
    func runEvaluationOnTwoThreads(gatheringBatchFrom first: Int?) {
        multiplyAdds &+= rows * evaluationMultiplyAdds
        team.inTwoHalves(of: rows) { half in
            if let first { gatherBatch(rows: half, from: first) }
            let part = half.lowerBound == 0 ? 0 : 1
            var layer = 0
            while layer < layers.count {
                forward(layer, rows: half, splits: false, part: part)
                layer += 1
            }
            lossTerms(rows: half)
        }
        loss = meanSampleLoss()
    }

    /// The deferred update's operations in two handoffs instead of one per operation:
    /// 1. each thread its half of the rows: delta and dOut from the output layer down;
    /// 2. each thread its part of the parameters (`parameterSplit`): their gradients
    ///    (`gradient(_:owning:part:)`), then their optimizer steps.
    /// The order of the plan's operations may change so: a deferred update's propagations
    /// read the weights before any step, and its gradients read only deltas and activations,
    /// never the weights a step changes; each step reads only its own parameters' gradients.
    func runDeferredUpdateOnTwoThreads() {
        multiplyAdds &+= rows * updateMultiplyAdds
        team.inTwoHalves(of: rows) { half in
            let part = half.lowerBound == 0 ? 0 : 1
            var layer = layers.count - 1
            while layer >= 0 {
                delta(layers[layer], rows: half)
                if layer > 0 { propagate(layer, rows: half, splits: false, part: part) }
                layer -= 1
            }
        }
        team.inTwoParts { part in
            let owned = part == 0 ? 0..<parameterSplit : parameterSplit..<parameters.count
            var layer = 0
            while layer < layers.count {
                gradient(layer, owning: owned, part: part)
                layer += 1
            }
            // Every layer's step of a deferred update, as `updateRanges` merged them.
            layer = 0
            while layer < layers.count {
                let range = updateRanges[layer].clamped(to: owned)
                if !range.isEmpty { step(range, splits: false) }
                layer += 1
            }
        }
    }
}
