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
    /// The optional held-out set, evaluated but never trained on.
    public var validationSamples: [Sample]
    /// How `validationSamples` were carved out of the data (`validation: {split}`), else nil.
    public var validationSplit: ValidationSplit?
    /// The input scaling fitted on the training samples (`data.scale`), else nil. `samples`
    /// and `validationSamples` hold the scaled inputs.
    public var inputScaling: InputScaling?
    public var training: Training
    public var record: Record
    /// The spec-level `seed`: layers and the shuffle that name no seed derive theirs from it.
    public var seed: UInt64?
    /// The checks of the `expect:` section, in spec order.
    public var expectations: [Expectation] = []
    /// The classes of a one-hot CSV column that lists none, as inferred from the file, in
    /// target order (output unit 0 first); nil when the spec lists them or has none.
    public var inferredClasses: [String]?

    public struct Layer: Sendable {
        public var name: String
        public var inputCount: Int
        public var units: Int
        public var activation: Activation
        /// leaky_relu's negative slope (0.01 unless given); unused by other activations.
        public var alpha: Double
        public var weights: InitialWeights
        public var bias: Bias
        /// Where the layer is declared, so later phases can point back at the YAML.
        public var location: SourceLocation
    }

    /// Listed weights, or a scheme the planner draws them from.
    public enum InitialWeights: Sendable, Equatable {
        /// `weights[unit][input]`: one row per unit (PyTorch `Linear` layout, `(out, in)`).
        case listed([[Double]])
        /// `seed` nil: derived from the spec-level seed (`Planning/SeedDerivation`).
        case drawn(Initializer, seed: UInt64?)
    }

    /// Format 2's initializer for a layer that writes no `weights`: Keras's default,
    /// glorot_uniform (= xavier_uniform), seeded from the spec's seed (Docs/spec-format.md
    /// says why this one).
    public static let defaultInitializer = Initializer.xavierUniform

    /// An initializer with its parameters (torch.nn.init's formulas, Docs/spec-format.md).
    public enum Initializer: Sendable, Equatable {
        case uniform(low: Double, high: Double)
        case normal(mean: Double, std: Double)
        case xavierUniform, xavierNormal, heUniform, heNormal
    }

    public enum Bias: Sendable, Equatable {
        /// No bias: the net input has no constant term, and nothing is trained.
        case none
        /// One parameter added to every unit's net input; its gradient is the sum of the units' deltas.
        case shared(Double)
        /// One parameter per unit.
        case perUnit([Double])
        /// One parameter per unit, drawn (`uniform` or `normal` only); `seed` nil: derived
        /// from the spec-level seed (`Planning/SeedDerivation`).
        case drawn(Initializer, seed: UInt64?)
    }

    public struct Sample: Sendable, Equatable {
        public var inputs: [Double]
        public var targets: [Double]

        public init(inputs: [Double], targets: [Double]) {
            self.inputs = inputs
            self.targets = targets
        }
    }

    public struct Training: Sendable {
        public var loss: Loss
        public var optimizer: Optimizer
        public var learningRate: Double
        /// Parameter updates in all (from `epochs` when the spec gives epochs).
        public var steps: Int
        /// Set when the spec gives `epochs` instead of `steps`.
        public var epochs: Int?
        public var trainBiases: Bool
        public var batch: Batch
        /// Reshuffle the training samples at every epoch; nil keeps the data order.
        public var shuffle: Shuffle?
        public var update: UpdateOrder
        /// The learning rate's schedule; nil: `learningRate` at every step.
        public var schedule: Schedule? = nil
        /// `training.early_stopping`, else nil (train for every step).
        public var earlyStopping: EarlyStopping? = nil
    }

    public struct Shuffle: Sendable, Equatable {
        /// nil: derived from the spec-level seed.
        public var seed: UInt64?

        public init(seed: UInt64?) { self.seed = seed }
    }

    /// The optimizer and its settings (torch.optim's update rules).
    public enum Optimizer: Sendable, Equatable {
        case sgd(momentum: Double, nesterov: Bool, weightDecay: Double)
        case adam(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double)
        /// Adam with decoupled weight decay (torch.optim.AdamW).
        case adamw(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double)
        case rmsprop(alpha: Double, epsilon: Double, momentum: Double, centered: Bool, weightDecay: Double)

        public static let plainSGD = Optimizer.sgd(momentum: 0, nesterov: false, weightDecay: 0)

        public var name: String {
            switch self {
            case .sgd: return "sgd"
            case .adam: return "adam"
            case .adamw: return "adamw"
            case .rmsprop: return "rmsprop"
            }
        }
    }

    public enum Batch: Sendable, Equatable {
        case full
        case online
        case size(Int)

        /// Samples per step for a training set of `count` samples (the last batch of an
        /// epoch may be smaller).
        public func size(of count: Int) -> Int {
            switch self {
            case .full: return count
            case .online: return 1
            case .size(let size): return min(size, count)
            }
        }

        public var description: String {
            switch self {
            case .full: return "full"
            case .online: return "online"
            case .size(let size): return "mini-batch \(size)"
            }
        }
    }

    public struct Record: Sendable {
        /// Loss is recorded at step 0, every `every` steps, and at the last step.
        public var every: Int
        /// Steps (1-based, ascending, distinct) whose every intermediate value is kept.
        public var traceSteps: [Int]

        public init(every: Int, traceSteps: [Int]) {
            self.every = every
            self.traceSteps = traceSteps
        }
    }

    /// One check of the `expect:` section.
    public struct Expectation: Sendable {
        /// The quantity as the spec wrote it, e.g. `layers.output.weights[0][1]`.
        public var text: String
        public var quantity: Quantity
        /// The step whose value is checked (`final` resolved to the last step).
        public var step: Int
        public var atFinal: Bool
        public var expected: ExpectedValue
        public var tolerance: Tolerance
        /// Where the check is written.
        public var location: SourceLocation
    }

    public enum Quantity: Sendable, Equatable {
        case loss, accuracy, validationLoss, validationAccuracy
        /// outputs[sample][output], narrowed by the indices.
        case outputs([Int])
        case weights(layer: Int, [Int])
        /// One value per unit (a shared bias repeated).
        case bias(layer: Int, [Int])
        case trace(layer: Int, TraceField, [Int])
        /// trace.sample_losses[row]: each batch sample's loss E_s at the traced step.
        case sampleLosses([Int])
        /// trace.output_losses[row][k]: each output's term of E_s.
        case outputLosses([Int])

        /// Whether the value at step k comes from the trace of step k (for 0 < k < final).
        public var needsTrace: Bool {
            switch self {
            case .trace, .weights, .bias, .sampleLosses, .outputLosses: return true
            default: return false
            }
        }
    }

    public enum TraceField: String, CaseIterable, Sendable {
        case net, out
        case dOut = "d_out"
        case slope = "d_out_d_net"
        case delta
        case weightGradient = "weight_gradient"
        case biasGradient = "bias_gradient"
    }

    /// |actual - expected| <= abs, or <= rel |expected|.
    public enum Tolerance: Sendable, Equatable {
        case absolute(Double)
        case relative(Double)

        public func accepts(actual: Double, expected: Double) -> Bool {
            guard actual.isFinite || actual == expected else { return false }
            let difference = abs(actual - expected)
            switch self {
            case .absolute(let bound): return difference <= bound
            case .relative(let bound): return difference <= bound * abs(expected)
            }
        }

        public var description: String {
            switch self {
            case .absolute(let bound): return "abs \(bound)"
            case .relative(let bound): return "rel \(bound)"
            }
        }
    }

    /// The number of outputs of the network: the last layer's units.
    public var outputCount: Int { layers.last?.units ?? 0 }
}
