import Diagnostics
import Spec

/// `training.schedule`: the name, the settings each schedule takes, their ranges.
extension Validator {
    /// The largest t_max: the cosine's argument pi k / t_max is reduced exactly in integers
    /// (`nn_cospi_fraction`), whose denominator must be a double's whole number.
    static let maxScheduleTMax = 1 << 52

    /// nil after reporting every problem of the schedule.
    mutating func schedule(_ entry: ScheduleEntry, at path: KeyPath) -> ValidatedSpec.Schedule? {
        let name = resolve(entry.name, ScheduleName.self, "name", in: path, at: entry.location,
                           what: "schedule", .unknownSchedule, required: true)
        let unit = resolve(entry.every, ScheduleUnit.self, "every", in: path, at: entry.location,
                           what: "schedule unit", .unknownScheduleUnit, required: false)
        var valid = name != nil && (entry.every == nil || unit != nil)
        if let name {
            let owned: [(String, SourceLocation?, [ScheduleName])] = [
                ("step_size", entry.stepSize?.location, [.step]), ("gamma", entry.gamma?.location, [.step, .exponential]),
                ("t_max", entry.tMax?.location, [.cosine]), ("eta_min", entry.etaMin?.location, [.cosine]),
            ]
            for (key, location, owners) in owned where !owners.contains(name) {
                if let location {
                    error(at: location, path / key, .scheduleSetting(key, owners: owners.map(\.rawValue), found: name.rawValue))
                    valid = false
                }
            }
        }
        func whole(_ value: Located<Int>?, _ key: String, _ range: String, _ isValid: (Int) -> Bool) -> Int? {
            guard let value else { return nil }
            if isValid(value.value) { return value.value }
            error(at: value.location, path / key, .scheduleSettingRange(key, range, found: "\(value.value)"))
            valid = false
            return nil
        }
        func number(_ value: Located<Double>?, _ key: String, _ range: String, _ isValid: (Double) -> Bool) -> Double? {
            guard let value else { return nil }
            if isValid(value.value) { return value.value }
            error(at: value.location, path / key, .scheduleSettingRange(key, range, found: SpecMessages.number(value)))
            valid = false
            return nil
        }
        func requireSetting(_ isGiven: Bool, _ key: String, example: String) {
            if isGiven { return }
            missing(key, in: path, at: entry.location, example: example)
            valid = false
        }
        let warmup = whole(entry.warmup, "warmup", ">= 0") { $0 >= 0 } ?? 0
        // The range of a setting the schedule owns (another's was reported above).
        func gamma() -> Double? { number(entry.gamma, "gamma", "in (0, 1]") { $0 > 0 && $0 <= 1 } }
        var shape: ValidatedSpec.Schedule.Shape?
        switch name {
        case .step:
            requireSetting(entry.stepSize != nil, "step_size", example: "step_size: 10")
            let stepSize = whole(entry.stepSize, "step_size", ">= 1") { $0 >= 1 }
            // 0.1: torch.optim.lr_scheduler.StepLR's default gamma.
            let factor = gamma() ?? 0.1
            if let stepSize { shape = .step(stepSize: stepSize, gamma: factor) }
        case .exponential:
            requireSetting(entry.gamma != nil, "gamma", example: "gamma: 0.99")
            if let gamma = gamma() { shape = .exponential(gamma: gamma) }
        case .cosine:
            requireSetting(entry.tMax != nil, "t_max", example: "t_max: 100")
            let etaMin = number(entry.etaMin, "eta_min", ">= 0") { $0 >= 0 } ?? 0
            if let tMax = whole(entry.tMax, "t_max", "between 1 and 2^52", { $0 >= 1 && $0 <= Validator.maxScheduleTMax }) {
                shape = .cosine(tMax: tMax, etaMin: etaMin)
            }
        case nil:
            break
        }
        guard valid, let shape else { return nil }
        return ValidatedSpec.Schedule(shape: shape, warmup: warmup, unit: unit ?? .epoch)
    }
}
