import Diagnostics
import YAMLSource

/// `schedule: {name: step, step_size: 10, gamma: 0.5, warmup: 5, every: epoch}`: the
/// learning rate as a function of the epoch or update count (torch.optim.lr_scheduler's
/// closed forms; the keys each schedule takes are checked by validation).
public struct ScheduleEntry: Sendable {
    public var location: SourceLocation
    public var name: Located<String>?
    /// step: the rate is multiplied by gamma every `step_size` epochs (or steps).
    public var stepSize: Located<Int>?
    /// step and exponential: the factor.
    public var gamma: Located<Double>?
    /// cosine: the half period, in epochs (or steps).
    public var tMax: Located<Int>?
    /// cosine: the lowest rate.
    public var etaMin: Located<Double>?
    /// Epochs (or steps) of linear warm-up from 0 before the schedule starts.
    public var warmup: Located<Int>?
    /// `epoch` (the default) or `step`: what the schedule counts.
    public var every: Located<String>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["name", "step_size", "gamma", "t_max", "eta_min", "warmup", "every"]
}

/// The learning-rate schedules' names.
public enum ScheduleName: String, CaseIterable, Sendable {
    /// lr0 gamma^floor(k / step_size) (torch.optim.lr_scheduler.StepLR).
    case step
    /// lr0 gamma^k (ExponentialLR).
    case exponential
    /// eta_min + (lr0 - eta_min) (1 + cos(pi k / t_max)) / 2 (CosineAnnealingLR's closed form).
    case cosine
}

/// What a schedule's k counts.
public enum ScheduleUnit: String, CaseIterable, Sendable {
    /// Epochs: k is the epoch the update belongs to (0 for the first).
    case epoch
    /// Updates: k is the number of updates before this one.
    case step
}

extension SpecDecoder {
    /// `schedule: {name: ..., ...}` (always a mapping: every schedule has settings).
    mutating func schedule(_ node: YAMLNode, at path: KeyPath) -> ScheduleEntry? {
        guard let fields = mapping(node, at: path, keys: ScheduleEntry.keys, what: "the schedule") else { return nil }
        var entry = ScheduleEntry(location: node.location)
        entry.name = fields["name"].flatMap { string($0, at: path / "name") }
        entry.stepSize = fields["step_size"].flatMap { integer($0, at: path / "step_size") }
        entry.gamma = fields["gamma"].flatMap { number($0, at: path / "gamma") }
        entry.tMax = fields["t_max"].flatMap { integer($0, at: path / "t_max") }
        entry.etaMin = fields["eta_min"].flatMap { number($0, at: path / "eta_min") }
        entry.warmup = fields["warmup"].flatMap { integer($0, at: path / "warmup") }
        entry.every = fields["every"].flatMap { string($0, at: path / "every") }
        return entry
    }
}
