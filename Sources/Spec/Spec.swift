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
    /// Seeds every random draw that names no seed of its own.
    public var seed: Located<Int>?
    /// Format 2: a results file whose final parameters are every layer's initial ones.
    public var initFrom: Located<String>?
    public var model: ModelSection?
    public var data: Located<DataEntry>?
    /// `data.scale: standardize | minmax`, written in a mapping form of `data`.
    public var dataScale: Located<String>?
    /// A held-out set in the same forms as `data`.
    public var validation: Located<DataEntry>?
    /// `validation: {split: 0.2, seed: N}` instead: part of `data` held out.
    public var validationSplit: ValidationSplitEntry?
    public var training: TrainingSection?
    public var record: RecordSection?
    public var expect: ExpectSection?
    /// Where a `sweep:` section is written; `nnrun sweep` expands it (Sources/Sweeps),
    /// every other command runs the spec as written.
    public var sweepLocation: SourceLocation?

    public init(location: SourceLocation) {
        self.location = location
    }

    /// The keys a spec may have at its top level, in the order the docs present them.
    public static let keys = ["nnrun", "name", "description", "seed", "init_from", "model", "data", "validation", "training",
                              "record", "expect", "sweep"]
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
    public var alpha: Located<Double>?
    public var weights: Located<WeightsEntry>?
    public var bias: Located<BiasEntry>?
    /// False for a list item that is not a mapping at all (`- ~`): the decoder reported it;
    /// it keeps its place so that later items keep their index, and validation looks no
    /// further into it.
    public var isMapping = true

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["name", "units", "activation", "alpha", "weights", "bias"]
}

/// `weights: [[...], ...]`, `weights: {init: NAME, seed: N, ...}` or (format 2) `weights: {npy: FILE}`.
public enum WeightsEntry: Sendable {
    /// One row per unit, one column per input (PyTorch `Linear` layout: `(out, in)`).
    case listed([Located<[Located<Double>]>])
    case drawn(InitializerEntry)
    /// A .npy file of shape (units, inputs), relative to the spec's folder.
    case npy(Located<String>)
}

public struct InitializerEntry: Sendable {
    public var location: SourceLocation
    public var name: Located<String>?
    public var seed: Located<Int>?
    public var low: Located<Double>?
    public var high: Located<Double>?
    public var mean: Located<Double>?
    public var std: Located<Double>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["init", "seed", "low", "high", "mean", "std"]
}

/// `bias: 0.35` (one parameter shared by every unit) or `bias: [0.1, 0.2]` (one per unit);
/// format 2 adds `bias: none`, `{fill: 0.1}`, `{init: NAME, seed: N}` and `{npy: FILE}`.
public enum BiasEntry: Sendable {
    case shared(Double)
    case perUnit([Located<Double>])
    /// `bias: none`: the layer has no bias.
    case none
    /// One parameter per unit, all starting at this value.
    case fill(Located<Double>)
    /// One parameter per unit, drawn.
    case drawn(InitializerEntry)
    /// A .npy file of shape (units,), relative to the spec's folder.
    case npy(Located<String>)

    /// The format-2 forms, which a format 1 spec may not write.
    public var needsFormat2: Bool {
        switch self {
        case .shared, .perUnit: return false
        case .none, .fill, .drawn, .npy: return true
        }
    }
}

/// The keys of a bias mapping: `{fill: X}`, `{npy: FILE}` or an initializer's keys.
public enum BiasKeys {
    public static let keys = ["fill", "npy"] + InitializerEntry.keys
}

/// Samples listed in the spec, or read from a CSV file, from NumPy .npy files or from a
/// NumPy .npz archive.
///
/// A mapping form may also write `scale:`, which the decoder keeps in `Spec.dataScale`
/// (the inline list has nowhere to write it).
public enum DataEntry: Sendable {
    case inline([SampleEntry])
    case csv(CSVEntry)
    case npy(NpyEntry)
    case npz(NpzEntry)
}

/// `{npz: {file: PATH, inputs: NAME, targets: NAME}}`: two named arrays of one NumPy .npz
/// archive (numpy.savez or numpy.savez_compressed), one row per sample.
public struct NpzEntry: Sendable {
    /// Where the mapping under `npz:` is written.
    public var location: SourceLocation
    /// Relative to the spec file's folder.
    public var file: Located<String>?
    /// The arrays' names in the archive (`x` for the member `x.npy`).
    public var inputs: Located<String>?
    public var targets: Located<String>?

    // Its keys, and those of the mapping under `npz:`, are the decoder's (`SpecDecoder.npz`).
    public init(location: SourceLocation) { self.location = location }
}

/// `{npy: {inputs: PATH, targets: PATH}}`: two NumPy .npy files, one row per sample.
public struct NpyEntry: Sendable {
    /// Where the mapping under `npy:` is written.
    public var location: SourceLocation
    /// Relative to the spec file's folder.
    public var inputs: Located<String>?
    public var targets: Located<String>?

    // Its keys, and those of the mapping under `npy:`, are the decoder's (`SpecDecoder.npy`).
    public init(location: SourceLocation) { self.location = location }
}

/// `{csv: PATH, inputs: [columns], targets: [columns], one_hot: {column: NAME, classes: [...]}}`.
public struct CSVEntry: Sendable {
    public var location: SourceLocation
    /// Relative to the spec file's folder.
    public var path: Located<String>?
    public var inputs: Located<[Located<String>]>?
    public var targets: Located<[Located<String>]>?
    public var oneHot: OneHotEntry?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["csv", "inputs", "targets", "one_hot"]
}

/// A class-label column expanded into one target per class (1 for its class, 0 elsewhere).
public struct OneHotEntry: Sendable {
    public var location: SourceLocation
    public var column: Located<String>?
    public var classes: Located<[Located<String>]>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["column", "classes"]
}

public struct SampleEntry: Sendable {
    public var location: SourceLocation
    public var inputs: Located<[Located<Double>]>?
    public var targets: Located<[Located<Double>]>?
    /// False for a list item that is not a mapping at all (`- ~`): the decoder reported it;
    /// it keeps its place so that later items keep their index, and validation looks no
    /// further into it.
    public var isMapping = true

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["inputs", "targets"]
}

public struct TrainingSection: Sendable {
    public var location: SourceLocation
    public var loss: Located<String>?
    public var optimizer: OptimizerEntry?
    public var learningRate: Located<Double>?
    public var steps: Located<Int>?
    public var epochs: Located<Int>?
    public var trainBiases: Located<Bool>?
    public var batch: Located<BatchEntry>?
    public var shuffle: ShuffleEntry?
    public var update: Located<String>?
    /// `schedule: {name: step, ...}`: the learning rate as a function of the step or epoch.
    public var schedule: ScheduleEntry?
    public var earlyStopping: EarlyStoppingEntry?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["loss", "optimizer", "learning_rate", "steps", "epochs", "train_biases", "batch",
                              "shuffle", "update", "schedule", "early_stopping"]
}

/// `optimizer: NAME` or `optimizer: {name: NAME, momentum: ..., ...}`.
public struct OptimizerEntry: Sendable {
    public var location: SourceLocation
    public var name: Located<String>?
    public var momentum: Located<Double>?
    public var nesterov: Located<Bool>?
    public var weightDecay: Located<Double>?
    public var beta1: Located<Double>?
    public var beta2: Located<Double>?
    public var epsilon: Located<Double>?
    /// RMSprop's smoothing constant.
    public var alpha: Located<Double>?
    /// RMSprop: divide by the centered second moment (an estimate of the variance).
    public var centered: Located<Bool>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["name", "momentum", "nesterov", "weight_decay", "beta1", "beta2", "epsilon", "alpha",
                              "centered"]
}

/// `batch: full`, `batch: online` or `batch: 32`.
public enum BatchEntry: Sendable {
    case name(String)
    case size(Int)
}

public struct ShuffleEntry: Sendable {
    public var location: SourceLocation
    public var seed: Located<Int>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["seed"]
}

public struct RecordSection: Sendable {
    public var location: SourceLocation
    public var every: Located<RecordEvery>?
    public var trace: Located<[Located<Int>]>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["every", "trace"]
}

/// `every: 10` (steps) or `every: epoch`.
public enum RecordEvery: Sendable, Equatable {
    case steps(Int)
    case epoch
}

/// `expect:` a list of checks, or `{tolerance: {...}, checks: [...]}`.
public struct ExpectSection: Sendable {
    public var location: SourceLocation
    public var tolerance: Located<ToleranceEntry>?
    public var checks: [CheckEntry]
    /// True for the mapping form, whose checks sit under `checks:`.
    public var isMapping = false

    public init(location: SourceLocation) {
        self.location = location
        self.checks = []
    }

    public static let keys = ["tolerance", "checks"]
}

/// `{at: 1 | final, quantity: loss, value: 0.29, tolerance: {abs: 1e-9}}`.
public struct CheckEntry: Sendable {
    public var location: SourceLocation
    public var at: Located<StepEntry>?
    public var quantity: Located<String>?
    public var value: Located<ExpectedValue>?
    public var tolerance: Located<ToleranceEntry>?
    /// False for a list item that is not a mapping at all (`- ~`): the decoder reported it;
    /// it keeps its place so that later items keep their index, and validation looks no
    /// further into it.
    public var isMapping = true

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["at", "quantity", "value", "tolerance"]
}

public enum StepEntry: Sendable, Equatable {
    case step(Int)
    case final
}

/// A number, or a list of expected values (nested lists for matrices).
public indirect enum ExpectedValue: Sendable, Equatable {
    case number(Double)
    case list([ExpectedValue])
}

/// `{abs: x}` or `{rel: y}`.
public enum ToleranceEntry: Sendable, Equatable {
    case absolute(Double)
    case relative(Double)
}
