import Planning
import Validation

/// The network's outputs for inputs it was not trained on (`nnrun predict`), computed by
/// the runner's own evaluation: the same workspace, the same forward operations and the
/// same passes of `Plan.rowCapacity` rows as the evaluation that fills a results file's
/// `outputs`. Given the training inputs and a run's final parameters, it therefore gives
/// the bits of that run's `final.outputs`.
public enum Inference {
    /// One row of `plan.outputCount` outputs per row of `inputs` ((rows, plan.inputCount)),
    /// with `parameters` in the plan's parameter layout (`Plan.flatParameters`); nil when
    /// the inputs' width or the parameters' count is not the plan's.
    ///
    /// The plan keeps its layers, offsets and row capacity; only its training set is
    /// replaced by `inputs` (with zero targets: the loss the evaluation also computes is
    /// not reported) and its starting parameters by `parameters`.
    public static func outputs(_ plan: Plan, parameters: [Double], inputs: SampleMatrix,
                               kernels: KernelOptions = .automatic) -> [[Double]]? {
        guard inputs.columns == plan.inputCount, parameters.count == plan.parameterCount else { return nil }
        var forInputs = plan
        forInputs.sampleCount = inputs.rows
        forInputs.inputs = inputs
        forInputs.targets = SampleMatrix(rows: inputs.rows, columns: plan.outputCount) { _ in [] }
        forInputs.validationCount = 0
        forInputs.initialParameters = parameters
        let workspace = Workspace(forInputs, kernels: kernels)
        _ = workspace.evaluate(.training)
        let K = plan.outputCount
        return (0..<inputs.rows).map { s in Array(workspace.trainingOutputs[(s * K)..<(s * K + K)]) }
    }
}

extension Plan {
    /// Per-layer parameters (a shared bias repeated per unit) as the parameter buffer's
    /// layout: each layer's weights row by row, then its bias (one value when shared).
    /// nil when a layer's shapes differ from the plan's.
    public func flatParameters(_ layers: [LayerParameters]) -> [Double]? {
        guard layers.count == self.layers.count else { return nil }
        var flat: [Double] = []
        flat.reserveCapacity(parameterCount)
        for (plan, given) in zip(self.layers, layers) {
            guard given.weights.count == plan.units, given.weights.allSatisfy({ $0.count == plan.inputCount }) else { return nil }
            for row in given.weights { flat.append(contentsOf: row) }
            switch (plan.biasCount, given.bias) {
            case (0, nil): break
            case (_, let bias?) where bias.count == plan.units && plan.biasCount > 0:
                flat.append(contentsOf: plan.biasShared ? [bias[0]] : bias)
            default: return nil
            }
        }
        return flat
    }

    /// The parameter buffer's values (`initialParameters`, say) per layer, a shared bias
    /// repeated per unit: what a results file's `layers` hold.
    public func layerParameters(_ flat: [Double]) -> [LayerParameters] {
        flat.withUnsafeBufferPointer { buffer in
            let mutable = UnsafeMutableBufferPointer(mutating: buffer)
            return layers.map { Runner.layerParameters($0, mutable) }
        }
    }
}
