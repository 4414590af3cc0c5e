import Spec
import Validation

/// Keras' EarlyStopping rule, applied at each check (Docs/spec-format.md, "Early stopping").
///
/// A check at step k (k >= 1, k a multiple of `record.every`: the steps the history
/// records on its regular grid) reads the monitored value v and, with d = min_delta:
/// - improvement: v < best - d for losses, v > best + d for accuracy (best starts at
///   +infinity, -infinity for accuracy; a NaN never improves). Written as Keras writes it:
///   v + d < best, v - d > best.
/// - wait is incremented, then reset to 0 on an improvement (best = v, best step = k);
/// - without improvement, training stops when wait >= patience, except at the first
///   check (Keras never stops after its first epoch).
public struct EarlyStoppingRule: Sendable {
    public let settings: EarlyStopping
    public private(set) var best: Double
    /// The step of the best value; nil before any improvement.
    public private(set) var bestStep: Int?
    public private(set) var wait = 0
    public private(set) var checks = 0

    public init(_ settings: EarlyStopping) {
        self.settings = settings
        best = settings.monitor.improvesUpwards ? -.infinity : .infinity
    }

    public enum Verdict: Equatable, Sendable {
        case improved, waiting, stop
    }

    public mutating func check(step: Int, value: Double) -> Verdict {
        checks += 1
        wait += 1
        let improved = settings.monitor.improvesUpwards ? value - settings.minDelta > best : value + settings.minDelta < best
        if improved {
            best = value
            bestStep = step
            wait = 0
            return .improved
        }
        return wait >= settings.patience && checks > 1 ? .stop : .waiting
    }
}

/// How early stopping ended a run: in the results file's `early_stopping` member.
public struct StoppingOutcome: Sendable {
    public var monitor: Monitor
    /// True when the rule stopped training before its last step.
    public var stopped: Bool
    /// The step training ended at.
    public var step: Int
    /// The epoch (1-based) that step belongs to.
    public var epoch: Int
    /// The best checked step and its value; nil when no check improved (or none was made).
    public var bestStep: Int?
    public var best: Double?
    /// The step whose parameters the results' `final` holds.
    public var parametersStep: Int
}
