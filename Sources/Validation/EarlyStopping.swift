import Spec

/// `training.early_stopping`, validated (Keras' EarlyStopping rule; the runner's
/// `EarlyStoppingRule` applies it, Docs/spec-format.md says when).
public struct EarlyStopping: Sendable, Equatable {
    public var monitor: Monitor
    /// Checks in a row without improvement that stop training (0: the first one).
    public var patience: Int
    /// An improvement must beat the best value by more than this (>= 0).
    public var minDelta: Double
    /// Whether the results hold the best checked step's parameters rather than the last step's.
    public var restoreBest: Bool

    public init(monitor: Monitor, patience: Int, minDelta: Double, restoreBest: Bool) {
        self.monitor = monitor
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBest = restoreBest
    }
}
