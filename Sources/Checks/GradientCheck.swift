import Planning
import Running
import Spec
import Validation

/// Compares the gradients the runner computes with central finite differences of the
/// loss, on the spec's own network, data and step:
///
///     D(h)    = (L(p + h) - L(p - h)) / ((p + h) - (p - h))
///     numeric = (4 D(h) - D(2h)) / 3
///     passes when |analytic - numeric| <= atol + rtol |numeric|
///     atol    = K eps S / h,   K = 16, eps = 2^-52
///     S       = |L| + 1/B sum_s [ sum_u |delta_su| (sum_i |W_ui x_si| + |b_u|) + sum_u c_su ]
///
/// where L is the mean loss over step N's batch (B samples) with the parameters step N
/// starts from; u runs over the output layer's units, W, b are its parameters, x_s its
/// input for sample s, delta_su = dE_s/dnet_su; c_su is t_su for cross_entropy,
/// |t_su| + |1 - t_su| for binary_cross_entropy, 0 for the squared errors. The analytic
/// gradient is the true gradient of that loss (deferred order), before weight decay.
///
/// Why Richardson's extrapolation: the central difference is off by its truncation error,
/// D(h) = g + h^2 L'''/6 + O(h^4), and L''' need not shrink with g: where the fit is close
/// (a residual r = o - t near 0), g is proportional to r but L''' is not, so a tiny
/// gradient carries an error of 1e-13 that no relative tolerance allows. (4 D(h) - D(2h))/3
/// cancels the h^2 term, leaving O(h^4), below any rounding.
///
/// Why an absolute term: a computed loss carries a rounding error r, and the central
/// difference divides the difference of two such errors by 2h, so D(h) is off by up to
/// about r/h however small the true gradient is, and the extrapolation by
/// (4 r/h + r/2h)/3 = 1.5 r/h. A relative tolerance alone fails small gradients for that
/// reason (Docs/robustness.md has the numbers). S bounds r/eps term by term: the loss's own arithmetic rounds relative to the loss (|L|); an output's net input
/// is a dot product, whose rounding, the relative rounding of its inputs included, is
/// bounded by a small multiple of eps (sum |W x| + |b|) (Higham, Accuracy and Stability of
/// Numerical Algorithms, section 3.1), and reaches the loss through dE/dnet = delta; the log
/// of an output near 1 is off by about eps absolutely, weighted by the target. The second
/// term rules when the fit is close (|L| tiny, the outputs not), the third for a confident
/// classifier. K = 16 leaves room for the roundings of the layers below and for long sums.
/// The denominator is the step actually taken, (p + h) - (p - h) (exact by Sterbenz's
/// lemma when |p| >= 3h, within half an ulp otherwise), rather than 2h, which the rounding
/// of p + h and p - h departs from.
public enum GradientCheck {
    /// K in atol = K eps S / h.
    public static let noiseFactor = 16.0

    public struct Entry: Sendable {
        public var layer: String
        /// `weights[1][0]` or `bias[2]` (`bias` for a shared bias).
        public var parameter: String
        public var analytic: Double
        public var numeric: Double
        /// |analytic - numeric| (infinity when either is not finite).
        public var difference: Double
        /// atol + rtol |numeric|.
        public var allowed: Double

        /// Judges `analytic` against `numeric`: allowed = atol + rtol |numeric|.
        public init(layer: String, parameter: String, analytic: Double, numeric: Double,
                    absoluteTolerance: Double, relativeTolerance: Double) {
            self.layer = layer
            self.parameter = parameter
            self.analytic = analytic
            self.numeric = numeric
            difference = analytic.isFinite && numeric.isFinite ? abs(analytic - numeric) : .infinity
            allowed = absoluteTolerance + relativeTolerance * abs(numeric)
        }

        public var passed: Bool { difference <= allowed }
        /// difference / allowed: above 1 fails.
        public var excess: Double { allowed > 0 ? difference / allowed : (difference == 0 ? 0 : .infinity) }
    }

    public struct Report: Sendable {
        public var step: Int
        public var entries: [Entry]
        /// S: the magnitude the loss's rounding error is relative to.
        public var lossScale: Double
        /// atol = K eps S / h.
        public var absoluteTolerance: Double
        public var relativeTolerance: Double

        /// The entry furthest from passing per layer, in network order.
        public var worstPerLayer: [Entry] {
            var worst: [String: Entry] = [:]
            var order: [String] = []
            for entry in entries {
                if worst[entry.layer] == nil { order.append(entry.layer) }
                if !(entry.excess <= worst[entry.layer]?.excess ?? -1) { worst[entry.layer] = entry }
            }
            return order.compactMap { worst[$0] }
        }

        public var failures: [Entry] { entries.filter { !$0.passed } }
    }

    /// atol = K eps S / h.
    public static func absoluteTolerance(lossScale: Double, epsilon: Double) -> Double {
        noiseFactor * Double.ulpOfOne * lossScale / epsilon
    }

    /// S = |L| + 1/B sum_s [sum_u |delta_su| (sum_i |W_ui x_si| + |b_u|) + sum_u c_su]: see
    /// the type's comment. `spec` is the frozen spec (its samples are the traced batch).
    static func lossScale(_ spec: ValidatedSpec, _ trace: TraceStep) -> Double {
        guard let output = trace.layers.last, let layer = spec.layers.last, case .listed(let weights) = layer.weights,
              !output.delta.isEmpty
        else { return abs(trace.loss) }
        let inputs = trace.layers.count > 1 ? trace.layers[trace.layers.count - 2].out : spec.samples.map(\.inputs)
        func bias(_ unit: Int) -> Double {
            switch layer.bias {
            case .none: return 0
            case .shared(let value): return value
            case .perUnit(let values): return unit < values.count ? values[unit] : 0
            case .drawn: return 0   // a frozen spec lists every bias
            }
        }
        var sum = 0.0
        for (s, deltas) in output.delta.enumerated() {
            let x = s < inputs.count ? inputs[s] : []
            for (u, delta) in deltas.enumerated() where u < weights.count {
                let magnitude = zip(weights[u], x).reduce(abs(bias(u))) { $0 + abs($1.0 * $1.1) }
                sum += abs(delta) * magnitude
            }
            let targets = s < spec.samples.count ? spec.samples[s].targets : []
            switch spec.training.loss {
            case .crossEntropy: sum += targets.reduce(0) { $0 + abs($1) }
            case .binaryCrossEntropy: sum += targets.reduce(0) { $0 + abs($1) + abs(1 - $1) }
            case .halfSquaredError, .mse: break
            }
        }
        return abs(trace.loss) + sum / Double(output.delta.count)
    }

    /// nil when training does not reach `step` (it diverged first).
    public static func run(_ spec: ValidatedSpec, step: Int, epsilon: Double, relativeTolerance: Double,
                           perLayer: Int) -> Report? {
        guard let frozen = frozenSpec(spec, step: step) else { return nil }
        let analytic = Runner.run(Planner.plan(frozen))
        guard let trace = analytic.trace.first else { return nil }
        func loss(_ spec: ValidatedSpec) -> Double { Runner.run(Planner.plan(spec)).initial.loss }
        let scale = lossScale(frozen, trace)
        let atol = absoluteTolerance(lossScale: scale, epsilon: epsilon)

        var entries: [Entry] = []
        for (l, layer) in frozen.layers.enumerated() {
            guard case .listed(let weights) = layer.weights else { continue }
            // Each parameter: its name, its value, how to write another value in, its gradient.
            var candidates: [(String, Double, (inout ValidatedSpec, Double) -> Void, Double)] = []
            for u in 0..<layer.units {
                for i in 0..<layer.inputCount {
                    candidates.append(("weights[\(u)][\(i)]", weights[u][i], { spec, value in
                        var rows = weights
                        rows[u][i] = value
                        spec.layers[l].weights = .listed(rows)
                    }, trace.layers[l].weightGradient[u][i]))
                }
            }
            switch layer.bias {
            case .none, .drawn: break   // a frozen spec lists every bias
            case .shared(let value):
                candidates.append(("bias", value, { $0.layers[l].bias = .shared($1) }, trace.layers[l].biasGradient?[0] ?? .nan))
            case .perUnit(let values):
                for u in values.indices {
                    candidates.append(("bias[\(u)]", values[u], { spec, value in
                        var b = values
                        b[u] = value
                        spec.layers[l].bias = .perUnit(b)
                    }, trace.layers[l].biasGradient?[u] ?? .nan))
                }
            }
            // Evenly spaced parameters when a layer has more than `perLayer`.
            let stride = max(1, (candidates.count + perLayer - 1) / perLayer)
            for index in Swift.stride(from: 0, to: candidates.count, by: stride) {
                let (name, value, replace, gradient) = candidates[index]
                /// The central difference with step `step`, over the step actually taken.
                func centralDifference(_ step: Double) -> Double {
                    let up = value + step, down = value - step
                    var plus = frozen, minus = frozen
                    replace(&plus, up)
                    replace(&minus, down)
                    return (loss(plus) - loss(minus)) / (up - down)
                }
                // Richardson: D(h) = g + c h^2 + O(h^4), D(2h) = g + 4 c h^2 + O(h^4).
                let numeric = (4 * centralDifference(epsilon) - centralDifference(2 * epsilon)) / 3
                entries.append(Entry(layer: layer.name, parameter: name, analytic: gradient, numeric: numeric,
                                     absoluteTolerance: atol, relativeTolerance: relativeTolerance))
            }
        }
        return Report(step: step, entries: entries, lossScale: scale, absoluteTolerance: atol,
                      relativeTolerance: relativeTolerance)
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
            case .perUnit, .drawn: frozen.layers[l].bias = .perUnit(before[l].bias ?? [])
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
