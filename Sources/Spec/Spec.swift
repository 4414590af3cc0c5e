import Diagnostics

/// A spec as written: every value the user wrote, with its location, and nothing
/// checked beyond its YAML shape and number syntax.
///
/// Fields are optional because a spec with mistakes still decodes as far as it can, so
/// that validation can report every problem at once. `Validation` turns a `Spec` into a
/// `ValidatedSpec` (no optionals, all shapes consistent) or a list of diagnostics.
public struct Spec: Sendable {
    public var location: SourceLocation
    public var version: Located<Int>?
    public var name: Located<String>?
    public var description: Located<String>?
    public var model: ModelSection?
    public var data: Located<[SampleEntry]>?
    public var training: TrainingSection?
    public var record: RecordSection?

    public init(location: SourceLocation) {
        self.location = location
    }

    /// The keys a spec may have at its top level, in the order the docs present them.
    public static let keys = ["nnrun", "name", "description", "model", "data", "training", "record"]
}

public struct ModelSection: Sendable {
    public var location: SourceLocation
    public var inputs: Located<Int>?
    public var layers: Located<[LayerEntry]>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["inputs", "layers"]
}

public struct LayerEntry: Sendable {
    public var location: SourceLocation
    public var name: Located<String>?
    public var units: Located<Int>?
    public var activation: Located<String>?
    /// One row per unit, one column per input (PyTorch `Linear` layout: `(out, in)`).
    public var weights: Located<[Located<[Located<Double>]>]>?
    public var bias: Located<BiasEntry>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["name", "units", "activation", "weights", "bias"]
}

/// `bias: 0.35` (one parameter shared by every unit) or `bias: [0.1, 0.2]` (one per unit).
public enum BiasEntry: Sendable {
    case shared(Double)
    case perUnit([Located<Double>])
}

public struct SampleEntry: Sendable {
    public var location: SourceLocation
    public var inputs: Located<[Located<Double>]>?
    public var targets: Located<[Located<Double>]>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["inputs", "targets"]
}

public struct TrainingSection: Sendable {
    public var location: SourceLocation
    public var loss: Located<String>?
    public var optimizer: Located<String>?
    public var learningRate: Located<Double>?
    public var steps: Located<Int>?
    public var trainBiases: Located<Bool>?
    public var batch: Located<String>?
    public var update: Located<String>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["loss", "optimizer", "learning_rate", "steps", "train_biases", "batch", "update"]
}

public struct RecordSection: Sendable {
    public var location: SourceLocation
    public var every: Located<Int>?
    public var trace: Located<[Located<Int>]>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["every", "trace"]
}
