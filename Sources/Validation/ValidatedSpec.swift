import Diagnostics
import Spec

/// A spec that passed every check: every required value present, every name known,
/// every shape consistent. Later phases take this and never see a `Spec`.
public struct ValidatedSpec: Sendable {
    public var name: String
    public var description: String?
    public var inputCount: Int
    public var layers: [Layer]
    public var samples: [Sample]
    public var training: Training
    public var record: Record

    public struct Layer: Sendable {
        public var name: String
        public var inputCount: Int
        public var units: Int
        public var activation: Activation
        /// `weights[unit][input]`: one row per unit (PyTorch `Linear` layout, `(out, in)`).
        public var weights: [[Double]]
        public var bias: Bias
        /// Where the layer is declared, so later phases can point back at the YAML.
        public var location: SourceLocation
    }

    public enum Bias: Sendable, Equatable {
        /// No bias: the net input has no constant term, and nothing is trained.
        case none
        /// One parameter added to every unit's net input; its gradient is the sum of the units' deltas.
        case shared(Double)
        /// One parameter per unit.
        case perUnit([Double])
    }

    public struct Sample: Sendable {
        public var inputs: [Double]
        public var targets: [Double]
    }

    public struct Training: Sendable {
        public var loss: Loss
        public var optimizer: Optimizer
        public var learningRate: Double
        public var steps: Int
        public var trainBiases: Bool
        public var batch: Batch
        public var update: UpdateOrder
    }

    public struct Record: Sendable {
        /// Loss is recorded at step 0, every `every` steps, and at the last step.
        public var every: Int
        /// Steps (1-based, ascending, distinct) whose every intermediate value is kept.
        public var traceSteps: [Int]
    }

    /// The number of outputs of the network: the last layer's units.
    public var outputCount: Int { layers.last?.units ?? 0 }
}
