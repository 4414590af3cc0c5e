import CKernels
import Planning
import Validation

/// The schedules' formulas (torch.optim.lr_scheduler's closed forms), each operation
/// rounded in the order written, with nnrun's own power and cosine (Docs/math.md), so the
/// rates are the same bits on every machine:
///
///     k < warmup:   lr0 k / warmup                      ((lr0 k) / warmup)
///     j = k - warmup
///     step:         lr0 gamma^floor(j / step_size)      (nn_power_value)
///     exponential:  lr0 gamma^j                         (nn_power_value)
///     cosine:       eta_min + ((lr0 - eta_min) (1 + cos(pi j / t_max))) / 2   (nn_cospi_fraction)
extension ValidatedSpec.Schedule {
    /// The schedule's k for update number `t` (1 for the first): its epoch (0 for the
    /// first) or, with `every: step`, the updates before it.
    public func counter(update t: Int, stepsPerEpoch: Int) -> Int {
        switch unit {
        case .step: t - 1
        case .epoch: (t - 1) / max(stepsPerEpoch, 1)
        }
    }

    /// The rate at counter value `k` for the spec's learning rate `lr0`.
    public func rate(base lr0: Double, at k: Int) -> Double {
        if k < warmup { return lr0 * Double(k) / Double(warmup) }
        let j = k - warmup
        switch shape {
        case .step(let stepSize, let gamma):
            return lr0 * nn_power_value(gamma, Int64(j / stepSize))
        case .exponential(let gamma):
            return lr0 * nn_power_value(gamma, Int64(j))
        case .cosine(let tMax, let etaMin):
            return etaMin + (lr0 - etaMin) * (1 + nn_cospi_fraction(Int64(j), Int64(tMax))) / 2
        }
    }
}

extension Plan {
    /// The learning rate update number `t` (1 for the first) uses: the spec's rate, or its
    /// schedule's.
    public func learningRate(update t: Int) -> Double {
        guard let schedule = training.schedule else { return training.learningRate }
        return schedule.rate(base: training.learningRate, at: schedule.counter(update: t, stepsPerEpoch: stepsPerEpoch))
    }
}
