import Diagnostics
import Spec
import Validation

/// An executable training plan: every buffer sized once, and the ordered operations
/// of one training step.
///
/// Buffer layout (all Float64, row-major):
///
///     parameters  for each layer: weights (units, inputs), then bias (0, 1 or units values)
///     gradients   same layout as parameters: dE_batch/dparameter
///     activations for each layer: (samples, units) blocks, one block per layer, in
///                 five buffers of the same layout: net, out, dOut = dE/dout,
///                 slope = dout/dnet, delta = dE/dnet
///     inputs      (samples, model inputs);   targets (samples, outputs)
public struct Plan: Sendable {
    public var name: String
    public var layers: [LayerPlan]
    public var sampleCount: Int
    public var inputCount: Int
    public var outputCount: Int
    /// Length of the parameter buffer (and of the gradient buffer).
    public var parameterCount: Int
    /// Length of each of the five activation buffers.
    public var activationCount: Int
    /// The starting parameters, in the parameter buffer's layout.
    public var initialParameters: [Double]
    /// (samples, inputs), row-major.
    public var inputs: [Double]
    /// (samples, outputs), row-major.
    public var targets: [Double]
    public var training: ValidatedSpec.Training
    public var record: ValidatedSpec.Record
    /// Operations that evaluate the network on every sample: forward passes, then the loss.
    public var evaluation: [Operation]
    /// Operations of one parameter update, run after `evaluation` has filled the activations.
    public var update: [Operation]
    /// Steps at which the loss is recorded: 0, every `record.every`, and the last.
    public var historySteps: [Int]
    public var memory: MemoryEstimate

    /// One operation of a training step. Each names the layer it works on by index
    /// into `layers`.
    public enum Operation: Sendable, Equatable {
        /// net = W x + b, out = f(net), slope = f'(net) for every sample.
        case forward(layer: Int)
        /// Per-sample loss of the outputs against the targets, and dOut = dE/dout of the output layer.
        case loss
        /// delta = dOut * slope for one layer.
        case delta(layer: Int)
        /// Weight and bias gradients of the batch loss from the layer's delta and input.
        case gradient(layer: Int)
        /// dOut of the layer below = W^T delta, with this layer's weights as they are now.
        case propagate(layer: Int)
        /// Parameters -= learning rate * gradients, for one layer.
        case step(layer: Int)
    }
}

/// Where one layer's values live in the plan's buffers.
public struct LayerPlan: Sendable {
    public var name: String
    public var inputCount: Int
    public var units: Int
    public var activation: Activation
    public var weightOffset: Int
    public var weightCount: Int { units * inputCount }
    public var biasOffset: Int
    /// 0 (no bias), 1 (shared) or `units`.
    public var biasCount: Int
    /// Whether the bias takes part in gradient steps.
    public var biasTrained: Bool
    /// Start of this layer's (samples, units) block in each activation buffer.
    public var activationOffset: Int
    public var location: SourceLocation

    /// True for one bias shared by every unit (stored separately because a one-unit
    /// layer's shared and per-unit biases are both one value).
    public var biasShared: Bool

    public var parameterCount: Int { weightCount + biasCount }
}

/// Bytes the run will hold, estimated before anything is allocated.
public struct MemoryEstimate: Sendable {
    public var parameterBytes: Int
    public var activationBytes: Int
    public var dataBytes: Int
    public var historyBytes: Int
    public var traceBytes: Int

    public var totalBytes: Int { parameterBytes + activationBytes + dataBytes + historyBytes + traceBytes }
}
