import Spec

extension ValidatedSpec {
    /// A learning-rate schedule: the rate of each update as a function of k, the epoch of
    /// the update (0 for the first epoch) or, with `every: step`, the number of updates
    /// before it. With `warmup` N, updates with k < N use lr0 k / N (so the first uses 0)
    /// and the schedule then runs on k - N. The formulas are torch.optim.lr_scheduler's
    /// closed forms (Docs/spec-format.md, "Learning-rate schedules"); `Running` computes them.
    public struct Schedule: Sendable, Equatable {
        public enum Shape: Sendable, Equatable {
            /// lr0 gamma^floor(j / stepSize).
            case step(stepSize: Int, gamma: Double)
            /// lr0 gamma^j.
            case exponential(gamma: Double)
            /// etaMin + (lr0 - etaMin) (1 + cos(pi j / tMax)) / 2, also beyond tMax (the
            /// cosine goes back up, as torch's closed form does).
            case cosine(tMax: Int, etaMin: Double)
        }

        public var shape: Shape
        /// Values of k with a linear warm-up before the schedule starts (0: none).
        public var warmup: Int
        public var unit: ScheduleUnit

        public init(shape: Shape, warmup: Int, unit: ScheduleUnit) {
            self.shape = shape
            self.warmup = warmup
            self.unit = unit
        }

        public var name: ScheduleName {
            switch shape {
            case .step: .step
            case .exponential: .exponential
            case .cosine: .cosine
            }
        }
    }
}
