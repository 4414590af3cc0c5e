import Diagnostics

/// `training.early_stopping: {monitor: validation_loss, patience: 5, min_delta: 0, restore_best: true}`
/// (Docs/spec-format.md, "Early stopping").
public struct EarlyStoppingEntry: Sendable {
    public var location: SourceLocation
    public var monitor: Located<String>?
    public var patience: Located<Int>?
    public var minDelta: Located<Double>?
    public var restoreBest: Located<Bool>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["monitor", "patience", "min_delta", "restore_best"]
}

/// What early stopping watches: a series of the history (Docs/spec-format.md).
public enum Monitor: String, CaseIterable, Sendable {
    case validationLoss = "validation_loss"
    case validationAccuracy = "validation_accuracy"
    case loss

    /// Accuracy improves upwards, losses downwards.
    public var improvesUpwards: Bool { self == .validationAccuracy }
    /// Whether the series exists only with validation data.
    public var needsValidation: Bool { self != .loss }
}
