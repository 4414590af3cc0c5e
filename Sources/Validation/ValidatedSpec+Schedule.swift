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

        /// A setting's value, as the spec writes it.
        public enum Setting: Sendable, Equatable {
            case integer(Int)
            case number(Double)
            case word(String)
        }

        /// The schedule as the spec writes it, in the spec's key order: its name, its shape's
        /// settings, `warmup` and `every` (what `nnrun plan --json` and the compiled PyTorch
        /// script show).
        public var settings: [(key: String, value: Setting)] {
            var settings: [(key: String, value: Setting)] = [("name", .word(name.rawValue))]
            switch shape {
            case .step(let stepSize, let gamma): settings += [("step_size", .integer(stepSize)), ("gamma", .number(gamma))]
            case .exponential(let gamma): settings += [("gamma", .number(gamma))]
            case .cosine(let tMax, let etaMin): settings += [("t_max", .integer(tMax)), ("eta_min", .number(etaMin))]
            }
            return settings + [("warmup", .integer(warmup)), ("every", .word(unit.rawValue))]
        }
    }
}
