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
        var patience: Int? = 0
        if let given = entry.patience, given.value < 0 {
            error(at: given.location, path / "patience", .negativeEarlyStoppingSetting("patience", found: "\(given.value)"))
            patience = nil
        } else if let given = entry.patience {
            patience = given.value
        }
        var minDelta: Double? = 0
        if let given = entry.minDelta, given.value < 0 {
            error(at: given.location, path / "min_delta",
                  .negativeEarlyStoppingSetting("min_delta", found: SpecMessages.number(given)))
            minDelta = nil
        } else if let given = entry.minDelta {
            minDelta = given.value
        }
        guard let monitor, let patience, let minDelta else { return nil }
        return EarlyStopping(monitor: monitor, patience: patience, minDelta: minDelta,
                             restoreBest: entry.restoreBest?.value ?? false)
    }
}
