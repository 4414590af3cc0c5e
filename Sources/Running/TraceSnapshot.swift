import Planning

/// The raw copy of the workspace taken at a traced step, preallocated before the step
/// loop so that capturing it allocates nothing.
final class TraceSnapshot {
    let step: Int
    var loss = 0.0
    var rows = 0
    let net, out, dOut, slope, delta: UnsafeMutableBufferPointer<Double>
    let gradients, parameters: UnsafeMutableBufferPointer<Double>
    /// The optimizer's memory after the step (momentum buffer or Adam's m, Adam's v or
    /// RMSprop's mean square, centered RMSprop's mean gradient),
    /// copied only when the optimizer keeps one.
    let firstMoment, secondMoment, gradientAverage: UnsafeMutableBufferPointer<Double>?
    let sampleLoss, outputTerms: UnsafeMutableBufferPointer<Double>
    let indices: UnsafeMutableBufferPointer<Int>

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
        let optimizer = plan.training.optimizer
        firstMoment = optimizer.keepsFirstMoment ? buffer(plan.parameterCount) : nil
        secondMoment = optimizer.keepsSecondMoment ? buffer(plan.parameterCount) : nil
        gradientAverage = optimizer.keepsGradientAverage ? buffer(plan.parameterCount) : nil
        sampleLoss = buffer(plan.rowCapacity); outputTerms = buffer(plan.rowCapacity * plan.outputCount)
        indices = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(plan.batchSize, 1))
        indices.initialize(repeating: 0)
    }

    /// Copies the workspace after the step's update, before any evaluation: the
    /// activations and losses are still those of the step's own forward pass.
    func capture(_ workspace: Workspace, batchLoss: Double) {
        loss = batchLoss
        rows = workspace.rows
        _ = net.update(fromContentsOf: workspace.net)
        _ = out.update(fromContentsOf: workspace.out)
        _ = dOut.update(fromContentsOf: workspace.dOut)
        _ = slope.update(fromContentsOf: workspace.slope)
        _ = delta.update(fromContentsOf: workspace.delta)
        _ = gradients.update(fromContentsOf: workspace.gradients)
        _ = parameters.update(fromContentsOf: workspace.parameters)
        _ = firstMoment?.update(fromContentsOf: workspace.firstMoment)
        _ = secondMoment?.update(fromContentsOf: workspace.secondMoment)
        _ = gradientAverage?.update(fromContentsOf: workspace.gradientAverage)
        _ = sampleLoss.update(fromContentsOf: workspace.sampleLoss)
        _ = outputTerms.update(fromContentsOf: workspace.outputTerms)
        var row = 0
        while row < rows { indices[row] = workspace.batchIndices[row]; row += 1 }
    }

    deinit {
        for buffer in [net, out, dOut, slope, delta, gradients, parameters, sampleLoss, outputTerms] {
            buffer.deallocate()
        }
        firstMoment?.deallocate()
        secondMoment?.deallocate()
        gradientAverage?.deallocate()
        indices.deallocate()
    }

    /// The snapshot structured per layer and per sample.
    func traceStep(_ plan: Plan) -> TraceStep {
        let K = plan.outputCount
        let samples = (0..<rows).map { s in
            SampleTrace(index: indices[s], loss: sampleLoss[s], outputTerms: Array(outputTerms[(s * K)..<(s * K + K)]))
        }
        let layers = plan.layers.map { layer -> LayerTrace in
            var biasGradient: [Double]?
            if layer.biasCount > 0 {
                biasGradient = Array(gradients[layer.biasOffset..<(layer.biasOffset + layer.biasCount)])
            }
            return LayerTrace(
                name: layer.name,
                net: Runner.rows(net, layer, count: rows),
                out: Runner.rows(out, layer, count: rows),
                dOut: Runner.rows(dOut, layer, count: rows),
                slope: Runner.rows(slope, layer, count: rows),
                delta: Runner.rows(delta, layer, count: rows),
                weightGradient: Runner.weightRows(layer, gradients),
                biasGradient: biasGradient,
                weights: Runner.weightRows(layer, parameters),
                bias: Runner.biasPerUnit(layer, parameters),
                firstMoment: firstMoment.map { Runner.layerParameters(layer, $0) },
                secondMoment: secondMoment.map { Runner.layerParameters(layer, $0) },
                gradientAverage: gradientAverage.map { Runner.layerParameters(layer, $0) })
        }
        return TraceStep(step: step, loss: loss, samples: samples, layers: layers)
    }
}
