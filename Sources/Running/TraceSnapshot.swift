import Planning

/// The raw copy of the workspace taken at a traced step, preallocated before the step
/// loop so that capturing it allocates nothing.
final class TraceSnapshot {
    let step: Int
    var loss = 0.0
    let net, out, dOut, slope, delta: UnsafeMutableBufferPointer<Double>
    let gradients, parameters: UnsafeMutableBufferPointer<Double>
    let sampleLoss, outputTerms: UnsafeMutableBufferPointer<Double>

    init(step: Int, plan: Plan) {
        self.step = step
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0)
            return buffer
        }
        net = buffer(plan.activationCount); out = buffer(plan.activationCount)
        dOut = buffer(plan.activationCount); slope = buffer(plan.activationCount)
        delta = buffer(plan.activationCount)
        gradients = buffer(plan.parameterCount); parameters = buffer(plan.parameterCount)
        sampleLoss = buffer(plan.sampleCount); outputTerms = buffer(plan.sampleCount * plan.outputCount)
    }

    /// Copies the workspace after the step's update, before the next evaluation: the
    /// activations and losses are still those of the step's own forward pass.
    func capture(_ workspace: Workspace) {
        loss = workspace.loss
        _ = net.update(fromContentsOf: workspace.net)
        _ = out.update(fromContentsOf: workspace.out)
        _ = dOut.update(fromContentsOf: workspace.dOut)
        _ = slope.update(fromContentsOf: workspace.slope)
        _ = delta.update(fromContentsOf: workspace.delta)
        _ = gradients.update(fromContentsOf: workspace.gradients)
        _ = parameters.update(fromContentsOf: workspace.parameters)
        _ = sampleLoss.update(fromContentsOf: workspace.sampleLoss)
        _ = outputTerms.update(fromContentsOf: workspace.outputTerms)
    }

    deinit {
        for buffer in [net, out, dOut, slope, delta, gradients, parameters, sampleLoss, outputTerms] {
            buffer.deallocate()
        }
    }

    /// The snapshot structured per layer and per sample.
    func traceStep(_ plan: Plan) -> TraceStep {
        let K = plan.outputCount
        let samples = (0..<plan.sampleCount).map { s in
            SampleTrace(loss: sampleLoss[s], outputTerms: Array(outputTerms[(s * K)..<(s * K + K)]))
        }
        let layers = plan.layers.map { layer -> LayerTrace in
            var biasGradient: [Double]?
            if layer.biasCount > 0 {
                biasGradient = Array(gradients[layer.biasOffset..<(layer.biasOffset + layer.biasCount)])
            }
            return LayerTrace(
                name: layer.name,
                net: Runner.rows(net, layer, samples: plan.sampleCount),
                out: Runner.rows(out, layer, samples: plan.sampleCount),
                dOut: Runner.rows(dOut, layer, samples: plan.sampleCount),
                slope: Runner.rows(slope, layer, samples: plan.sampleCount),
                delta: Runner.rows(delta, layer, samples: plan.sampleCount),
                weightGradient: Runner.weightRows(layer, gradients),
                biasGradient: biasGradient,
                weights: Runner.weightRows(layer, parameters),
                bias: Runner.biasPerUnit(layer, parameters))
        }
        return TraceStep(step: step, loss: loss, samples: samples, layers: layers)
    }
}
