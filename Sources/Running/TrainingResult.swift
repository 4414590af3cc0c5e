import Diagnostics
import Validation

/// What a run produced: the values the results file and the reports are made from.
public struct TrainingResult: Sendable {
    public enum Status: String, Sendable {
        case completed
        /// The loss became NaN or infinite; training stopped at that step.
        case diverged
        /// Stopped on request (SIGINT, SIGTERM) at the end of a step.
        case interrupted
    }

    public var status: Status
    /// Where training went bad, when it diverged.
    public var divergence: Divergence?
    /// Parameter updates done.
    public var steps: Int
    public var initial: Evaluation
    public var final: Evaluation
    public var history: History
    public var trace: [TraceStep]
    /// Multiply-adds done in matrix products over the whole run, evaluations included
    /// (m n k per product: a benchmark counts 2 flops each).
    public var multiplyAdds: Int
    /// With `training.early_stopping`: why and where training ended, whose parameters `final` holds.
    public var stopping: StoppingOutcome? = nil
}

/// The network evaluated on every sample with the parameters after `step` updates.
public struct Evaluation: Sendable {
    public var step: Int
    /// Mean per-sample loss over the whole training set.
    public var loss: Double
    /// For classification losses (binary_cross_entropy, cross_entropy), else nil.
    public var accuracy: Double?
    /// On the validation set, when the spec has one.
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    /// One row per training sample.
    public var outputs: [[Double]]
    public var layers: [LayerParameters]
}

/// Loss after step 0, every `record.every` steps, and the last step; the other series
/// exist when defined (accuracy for classification losses, validation with a validation set).
public struct History: Sendable {
    public var steps: [Int]
    public var loss: [Double]
    public var accuracy: [Double]?
    public var validationLoss: [Double]?
    public var validationAccuracy: [Double]?
    /// With a schedule: the rate update `steps[i]` used (at step 0, the first update's).
    public var learningRate: [Double]? = nil
}

/// The first non-finite value found when training diverged.
public struct Divergence: Sendable {
    /// What became non-finite; the raw value is the results file's name for it.
    public enum Quantity: String, Sendable {
        case weights, bias
        case weightGradient = "weight_gradient"
        case biasGradient = "bias_gradient"
        case loss
    }

    /// The step whose update produced it.
    public var step: Int
    /// The first layer (input side first) with a non-finite parameter or gradient; nil
    /// when only the loss is non-finite.
    public var layer: String?
    /// Where the spec declares that layer (nil for the loss), so a report can point at its line.
    public var location: SourceLocation?
    public var quantity: Quantity
}
