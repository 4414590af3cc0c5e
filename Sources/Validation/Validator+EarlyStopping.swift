import Diagnostics
import Spec

/// `training.early_stopping`: Keras' defaults (monitor validation_loss, patience 0,
/// min_delta 0, restore_best false); the monitor must be a series the run records.
extension Validator {
    mutating func earlyStopping(_ spec: Spec, loss: Loss?, hasValidation: Bool) -> EarlyStopping? {
        guard let entry = spec.training?.earlyStopping else { return nil }
        let path = KeyPath.root / "training" / "early_stopping"
        var monitor: Monitor? = .validationLoss
        if entry.monitor != nil {
            monitor = resolve(entry.monitor, Monitor.self, "monitor", in: path, at: entry.location,
                              what: "monitor", .unknownMonitor, required: false)
        }
        let monitorLocation = entry.monitor?.location ?? entry.location
        let monitorLength = entry.monitor?.value.count ?? 1
        if let chosen = monitor, chosen.needsValidation, !hasValidation {
            error(at: monitorLocation, length: monitorLength, path / "monitor", .monitorNeedsValidation(chosen.rawValue))
            monitor = nil
        } else if monitor == .validationAccuracy, let loss, !loss.isClassification {
            error(at: monitorLocation, length: monitorLength, path / "monitor", .monitorNeedsClassification(loss: loss.rawValue))
            monitor = nil
        }
        let patience = nonNegative(entry.patience, "patience", in: path) { "\($0.value)" }
        let minDelta = nonNegative(entry.minDelta, "min_delta", in: path, shown: SpecMessages.number)
        guard let monitor, let patience, let minDelta else { return nil }
        return EarlyStopping(monitor: monitor, patience: patience, minDelta: minDelta,
                             restoreBest: entry.restoreBest?.value ?? false)
    }

    /// A setting that must not be negative: its value, Keras' default 0 when it is not
    /// written, nil (and an error) when it is negative.
    private mutating func nonNegative<Value: Numeric & Comparable>(_ given: Located<Value>?, _ key: String, in path: KeyPath,
                                                                  shown: (Located<Value>) -> String) -> Value? {
        guard let given else { return 0 }
        guard given.value >= 0 else {
            error(at: given.location, path / key, .negativeEarlyStoppingSetting(key, found: shown(given)))
            return nil
        }
        return given.value
    }
}
