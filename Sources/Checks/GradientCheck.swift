import Planning
import Running
import Spec
import Validation

/// Compares the gradients the runner computes with central finite differences of the
/// loss, on the spec's own network, data and step:
///
///     numeric = (L(p + h) - L(p - h)) / 2h
///     error   = |analytic - numeric| / max(|analytic|, |numeric|, 1e-7)
///
/// where L is the mean loss over step N's batch with the parameters step N starts from.
/// The error is relative, except that gradients below 1e-7 in magnitude are compared
/// absolutely (a relative error of two near-zero numbers says nothing). The analytic
/// gradient is the true gradient of that loss (deferred order), before weight decay.
public enum GradientCheck {
    public struct Entry: Sendable {
        public var layer: String
        /// `weights[1][0]` or `bias[2]` (`bias` for a shared bias).
        public var parameter: String
        public var analytic: Double
        public var numeric: Double
        public var error: Double
    }

    public struct Report: Sendable {
        public var step: Int
        public var entries: [Entry]
        /// The largest error per layer, in network order.
        public var worstPerLayer: [Entry] {
            var worst: [String: Entry] = [:]
            var order: [String] = []
            for entry in entries {
                if worst[entry.layer] == nil { order.append(entry.layer) }
                if entry.error > worst[entry.layer]?.error ?? -1 { worst[entry.layer] = entry }
            }
            return order.compactMap { worst[$0] }
        }
    }

    /// nil when training does not reach `step` (it diverged first).
    public static func run(_ spec: ValidatedSpec, step: Int, epsilon: Double, perLayer: Int) -> Report? {
        guard let frozen = frozenSpec(spec, step: step) else { return nil }
        let analytic = Runner.run(Planner.plan(frozen))
        guard let trace = analytic.trace.first else { return nil }
        func loss(_ spec: ValidatedSpec) -> Double { Runner.run(Planner.plan(spec)).initial.loss }

        var entries: [Entry] = []
        for (l, layer) in frozen.layers.enumerated() {
            guard case .listed(let weights) = layer.weights else { continue }
            var candidates: [(String, (inout ValidatedSpec, Double) -> Void, Double)] = []
            for u in 0..<layer.units {
                for i in 0..<layer.inputCount {
                    candidates.append(("weights[\(u)][\(i)]", { spec, h in
                        var rows = weights
                        rows[u][i] += h
                        spec.layers[l].weights = .listed(rows)
                    }, trace.layers[l].weightGradient[u][i]))
                }
            }
            switch layer.bias {
            case .none: break
            case .shared(let value):
                candidates.append(("bias", { $0.layers[l].bias = .shared(value + $1) }, trace.layers[l].biasGradient?[0] ?? .nan))
            case .perUnit(let values):
                for u in values.indices {
                    candidates.append(("bias[\(u)]", { spec, h in
                        var b = values
                        b[u] += h
                        spec.layers[l].bias = .perUnit(b)
                    }, trace.layers[l].biasGradient?[u] ?? .nan))
                }
            }
            // Evenly spaced parameters when a layer has more than `perLayer`.
            let stride = max(1, (candidates.count + perLayer - 1) / perLayer)
            for index in Swift.stride(from: 0, to: candidates.count, by: stride) {
                let (name, perturb, gradient) = candidates[index]
                var plus = frozen, minus = frozen
                perturb(&plus, epsilon)
                perturb(&minus, -epsilon)
                let numeric = (loss(plus) - loss(minus)) / (2 * epsilon)
                let scale = max(abs(gradient), abs(numeric), 1e-7)
                let error = gradient.isFinite && numeric.isFinite ? abs(gradient - numeric) / scale : .infinity
                entries.append(Entry(layer: layer.name, parameter: name, analytic: gradient, numeric: numeric, error: error))
            }
        }
        return Report(step: step, entries: entries)
    }

    /// A spec whose single full-batch step is step `step` of `spec`: the parameters that
    /// step starts from, listed; its batch as the data; deferred order; one step.
    static func frozenSpec(_ spec: ValidatedSpec, step: Int) -> ValidatedSpec? {
        guard let replay = StepReplay(spec, step: step) else { return nil }
        let before = replay.before, traced = replay.trace
        var frozen = spec
        for (l, layer) in spec.layers.enumerated() {
            frozen.layers[l].weights = .listed(before[l].weights)
            switch layer.bias {
            case .none: break
            case .shared: frozen.layers[l].bias = .shared(before[l].bias?.first ?? 0)
            case .perUnit: frozen.layers[l].bias = .perUnit(before[l].bias ?? [])
            }
        }
        frozen.samples = traced.samples.map { spec.samples[$0.index] }
        frozen.validationSamples = []
        frozen.training.steps = 1
        frozen.training.epochs = nil
        frozen.training.batch = .full
        frozen.training.shuffle = nil
        frozen.training.update = .deferred
        frozen.record = .init(every: 1, traceSteps: [1])
        frozen.expectations = []
        return frozen
    }
}
