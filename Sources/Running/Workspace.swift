import Planning

import Spec

/// Every buffer a run uses, allocated once from the plan's sizes and freed when the
/// run ends. The step loop only reads and writes these.
///
/// The plan's layers and operations are copied into unsafe buffers too: iterating a
/// Swift array of enums through the unspecialized generic path (debug builds) allocates
/// on every element, and the step loop must not allocate at all.
final class Workspace {
    let layers: UnsafeMutableBufferPointer<LayerPlan>
    let evaluation: UnsafeMutableBufferPointer<Plan.Operation>
    let update: UnsafeMutableBufferPointer<Plan.Operation>
    let learningRate: Double
    let lossFunction: Loss

    let parameters: UnsafeMutableBufferPointer<Double>   // plan.parameterCount
    let gradients: UnsafeMutableBufferPointer<Double>    // plan.parameterCount
    let net: UnsafeMutableBufferPointer<Double>          // plan.activationCount: per layer (samples, units)
    let out: UnsafeMutableBufferPointer<Double>          // same layout as net
    let dOut: UnsafeMutableBufferPointer<Double>         // dE/dout, same layout
    let slope: UnsafeMutableBufferPointer<Double>        // dout/dnet, same layout
    let delta: UnsafeMutableBufferPointer<Double>        // dE/dnet, same layout
    let inputs: UnsafeMutableBufferPointer<Double>       // (samples, inputs)
    let targets: UnsafeMutableBufferPointer<Double>      // (samples, outputs)
    let sampleLoss: UnsafeMutableBufferPointer<Double>   // (samples)
    let outputTerms: UnsafeMutableBufferPointer<Double>  // (samples, outputs): each output's loss term
    let sampleCount: Int
    /// Mean per-sample loss of the last evaluation.
    var loss: Double = 0

    init(_ plan: Plan) {
        func buffer(_ count: Int, from values: [Double] = []) -> UnsafeMutableBufferPointer<Double> {
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0)
            for (index, value) in values.enumerated() { buffer[index] = value }
            return buffer
        }
        sampleCount = plan.sampleCount
        layers = Workspace.copy(plan.layers)
        evaluation = Workspace.copy(plan.evaluation)
        update = Workspace.copy(plan.update)
        learningRate = plan.training.learningRate
        lossFunction = plan.training.loss
        parameters = buffer(plan.parameterCount, from: plan.initialParameters)
        gradients = buffer(plan.parameterCount)
        net = buffer(plan.activationCount)
        out = buffer(plan.activationCount)
        dOut = buffer(plan.activationCount)
        slope = buffer(plan.activationCount)
        delta = buffer(plan.activationCount)
        inputs = buffer(plan.inputs.count, from: plan.inputs)
        targets = buffer(plan.targets.count, from: plan.targets)
        sampleLoss = buffer(plan.sampleCount)
        outputTerms = buffer(plan.sampleCount * plan.outputCount)
    }

    private static func copy<Element>(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
        _ = buffer.initialize(from: array)
        return buffer
    }

    deinit {
        for buffer in [parameters, gradients, net, out, dOut, slope, delta, inputs, targets, sampleLoss, outputTerms] {
            buffer.deallocate()
        }
        layers.deinitialize().deallocate()
        evaluation.deinitialize().deallocate()
        update.deinitialize().deallocate()
    }
}
