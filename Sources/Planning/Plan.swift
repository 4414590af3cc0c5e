import Foundation
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
///     optimizer   0, 1 (momentum) or 2 (Adam's moments) buffers of the parameters' layout
///     activations for each layer: (rows, units) blocks, one block per layer, in
///                 five buffers of the same layout: net, out, dOut = dE/dout,
///                 slope = dout/dnet, delta = dE/dnet; rows = rowCapacity, of which a
///                 training step uses its batch's; an evaluation goes through its data
///                 set rowCapacity rows at a time
///     inputs      (samples, model inputs);   targets (samples, outputs)
///     batch       (batch size, inputs), (batch size, outputs): the step's samples, gathered
///     validation  (validation samples, inputs), (validation samples, outputs)
public struct Plan: Sendable {
    public var name: String
    public var layers: [LayerPlan]
    public var sampleCount: Int
    public var validationCount: Int
    public var inputCount: Int
    public var outputCount: Int
    /// Rows of every activation block: max(batch size, min(max(samples, validation
    /// samples), `Planner.evaluationRows`)). A full batch therefore always fits in one block.
    public var rowCapacity: Int
    /// Samples per training step (the last batch of an epoch may be smaller).
    public var batchSize: Int
    /// ceil(samples / batch size).
    public var stepsPerEpoch: Int
    /// The reshuffle seed (derived from the spec seed when the spec names none); nil: data order.
    public var shuffleSeed: UInt64?
    /// Length of the parameter buffer (and of the gradient buffer).
    public var parameterCount: Int
    /// Doubles of packing scratch per kernel thread (0: every product uses the plain loops).
    public var kernelScratchCount: Int
    /// Length of each of the five activation buffers.
    public var activationCount: Int
    /// The starting parameters, in the parameter buffer's layout.
    public var initialParameters: [Double]
    /// (samples, inputs).
    public var inputs: SampleMatrix
    /// (samples, outputs).
    public var targets: SampleMatrix
    /// (validation samples, inputs) and (validation samples, outputs).
    public var validationInputs: SampleMatrix
    public var validationTargets: SampleMatrix
    public var training: ValidatedSpec.Training
    public var record: ValidatedSpec.Record
    /// Operations that evaluate the network on a set of rows: forward passes, then the loss.
    public var evaluation: [Operation]
    /// Operations of one parameter update, run after `evaluation` has filled the activations of the batch.
    public var update: [Operation]
    /// Steps at which the loss is recorded: 0, every `record.every`, and the last.
    public var historySteps: [Int]
    public var memory: MemoryEstimate
    /// How the validation samples were carved out of the data (`validation: {split}`), else nil.
    public var validationSplit: ValidationSplit? = nil
    /// The input scaling fitted on the training samples (`data.scale`), else nil; `inputs`
    /// and `validationInputs` are already scaled.
    public var inputScaling: InputScaling? = nil

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
        /// The optimizer's update of one layer's trained parameters.
        case step(layer: Int)
    }
}

/// Where one layer's values live in the plan's buffers.
public struct LayerPlan: Sendable {
    public var name: String
    public var inputCount: Int
    public var units: Int
    public var activation: Activation
    /// leaky_relu's negative slope.
    public var alpha: Double
    public var weightOffset: Int
    public var weightCount: Int { units * inputCount }
    public var biasOffset: Int
    /// 0 (no bias), 1 (shared) or `units`.
    public var biasCount: Int
    /// Whether the bias takes part in gradient steps.
    public var biasTrained: Bool
    /// Start of this layer's (rows, units) block in each activation buffer.
    public var activationOffset: Int
    public var location: SourceLocation

    /// True for one bias shared by every unit (stored separately because a one-unit
    /// layer's shared and per-unit biases are both one value).
    public var biasShared: Bool

    public var parameterCount: Int { weightCount + biasCount }
}

/// Bytes the run will hold, estimated before anything is allocated.
public struct MemoryEstimate: Sendable {
    /// Parameters, gradients and optimizer state.
    public var parameterBytes: Int
    public var activationBytes: Int
    public var dataBytes: Int
    public var historyBytes: Int
    public var traceBytes: Int
    /// Packing scratch of the matrix kernels (`Planner.kernelThreads` blocks, or none).
    public var kernelBytes: Int
    /// What the run holds for the results file while its buffers are allocated: the plan's
    /// initial parameters, and the initial and final evaluations' parameters and outputs.
    public var resultBytes: Int

    /// `157.0 KiB (parameters 160 B, activations 160 B, ...)`.
    public var description: String {
        "\(Self.bytes(totalBytes)) (parameters \(Self.bytes(parameterBytes)), activations \(Self.bytes(activationBytes)), "
            + "data \(Self.bytes(dataBytes)), history \(Self.bytes(historyBytes)), trace \(Self.bytes(traceBytes)), kernels \(Self.bytes(kernelBytes)), results \(Self.bytes(resultBytes)))"
    }

    /// Bytes in binary units: `512 B`, `1.5 KiB`, `4.0 GiB`: the digits of `%.1f` (the
    /// exact quotient rounded to tenths, ties to even), worked out in integers. `String(format:)`
    /// cost a millisecond-scale share of every process's start: `--max-memory`'s default is
    /// described with it while the arguments are parsed, and Foundation's formatting checks
    /// each argument's protocols at run time (Docs/performance.md, "Round 2 (issue #21)").
    public static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        guard count < 1 << 53 else {
            // From 8 PiB on, Double(count) is rounded: the formatting these sizes always had.
            var value = Double(count) / 1024
            var unit = 0
            while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
            return String(format: "%.1f", value) + " " + units[unit]
        }
        // Below 2^53 the quotient count / 1024^k is exactly the Double division's.
        var unit = 0
        var divisor = 1024
        while count / divisor >= 1024, unit < units.count - 1 { divisor *= 1024; unit += 1 }
        let scaled = count * 10   // < 2^57
        var tenths = scaled / divisor
        let twiceRemainder = 2 * (scaled % divisor)
        if twiceRemainder > divisor || (twiceRemainder == divisor && tenths % 2 == 1) { tenths += 1 }
        return String(tenths / 10) + "." + String(tenths % 10) + " " + units[unit]
    }

    /// The sum, saturating at Int.max.
    public var totalBytes: Int {
        [parameterBytes, activationBytes, dataBytes, historyBytes, traceBytes, kernelBytes, resultBytes].reduce(0) { sum, value in
            let (result, overflow) = sum.addingReportingOverflow(value)
            return overflow ? Int.max : result
        }
    }
}
