/// The work of one row of a pass, counted in multiply-adds (the runner's `multiplyAdds`,
/// which `nnrun bench` turns into GFLOP/s as 2 m n k per product). The small-network step
/// and the two-thread passes count a whole pass from these; operation by operation, each
/// product counts its own m n k, which sums to the same.
extension Plan {
    /// One row of the evaluation: each layer's forward product, units × inputs.
    public var evaluationMultiplyAdds: Int {
        layers.reduce(0) { $0 + $1.weightCount }
    }

    /// One row of the update: each `.gradient` (dW = delta x^T) and `.propagate`
    /// (dOut below = W^T delta) is a product of units × inputs; deltas and steps are
    /// element-wise.
    public var updateMultiplyAdds: Int {
        update.reduce(0) { count, operation in
            switch operation {
            case .gradient(let layer), .propagate(let layer): count + layers[layer].weightCount
            case .forward, .loss, .delta, .step: count
            }
        }
    }
}
