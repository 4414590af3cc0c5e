import Diagnostics
import Running
import Spec
import Validation

/// The result of one expectation against a run.
public struct CheckOutcome: Sendable {
    public var expectation: ValidatedSpec.Expectation
    public var passed: Bool
    /// The value the run produced, in the expected value's shape; nil when the step was
    /// never reached (a diverged run).
    public var actual: ExpectedValue?
    /// The element that decides the outcome: the first out of tolerance, or the one with
    /// the largest difference when all pass. `path` is its index suffix (`[0][1]`, or empty).
    public var decisive: (path: String, expected: Double, actual: Double, difference: Double)?
    /// Why there is no value, when there is none.
    public var problem: String?

    /// `PASS specs/tutorial.yaml:52: loss at 1 = 0.29102777369359933 (expected 0.291027774, difference 3.1e-10, tolerance abs 5e-10)`
    public func line(file: String) -> String {
        let status = passed ? "PASS" : "FAIL"
        let at = expectation.atFinal ? "final" : String(expectation.step)
        // A check written in a base file (`extends`) or a `--set` override is named by it.
        let place: String
        switch expectation.location.origin {
        case nil: place = "\(file):\(expectation.location.line)"
        case .file(let base): place = "\(base):\(expectation.location.line)"
        case .override(let argument): place = argument
        }
        if let problem { return "\(status) \(place): \(expectation.text) at \(at): \(problem)" }
        guard let decisive else { return "\(status) \(place): \(expectation.text) at \(at)" }
        return "\(status) \(place): \(expectation.text)\(decisive.path) at \(at) = \(decisive.actual) "
            + "(expected \(decisive.expected), difference \(decisive.difference), tolerance \(expectation.tolerance.description))"
    }
}

/// Evaluates a spec's expectations against its training result.
public enum Checker {
    public static func evaluate(_ expectations: [ValidatedSpec.Expectation], against result: TrainingResult) -> [CheckOutcome] {
        expectations.map { evaluate($0, result) }
    }

    static func evaluate(_ expectation: ValidatedSpec.Expectation, _ result: TrainingResult) -> CheckOutcome {
        judge(expectation, actual: value(expectation, result), status: result.status, steps: result.steps)
    }

    /// The outcome of an expectation given the value the run produced (nil when it has
    /// none) and how its training ended: what `evaluate` decides from a result, and what a
    /// resumed sweep decides again from the value a results file recorded.
    public static func judge(_ expectation: ValidatedSpec.Expectation, actual: ExpectedValue?,
                             status: TrainingResult.Status, steps: Int) -> CheckOutcome {
        var outcome = CheckOutcome(expectation: expectation, passed: false, actual: nil, decisive: nil, problem: nil)
        guard let actual else {
            outcome.problem = expectation.step > steps
                ? "step \(expectation.step) was never reached (training \(status.rawValue) at step \(steps))"
                : "no value recorded"
            return outcome
        }
        outcome.actual = actual
        var failing: (String, Double, Double, Double)?
        var largest: (String, Double, Double, Double)?
        for (path, expected, got) in pairs(expectation.expected, actual, path: "") {
            let difference = abs(got - expected)
            let element = (path, expected, got, difference.isNaN ? .infinity : difference)
            if !expectation.tolerance.accepts(actual: got, expected: expected), failing == nil { failing = element }
            if largest == nil || element.3 > largest?.3 ?? 0 { largest = element }
        }
        outcome.passed = failing == nil
        if let decisive = failing ?? largest {
            outcome.decisive = (decisive.0, decisive.1, decisive.2, decisive.3)
        }
        return outcome
    }

    /// Expected and actual numbers side by side, with their index paths.
    private static func pairs(_ expected: ExpectedValue, _ actual: ExpectedValue, path: String) -> [(String, Double, Double)] {
        switch (expected, actual) {
        case (.number(let e), .number(let a)): return [(path, e, a)]
        case (.list(let es), .list(let as_)) where es.count == as_.count:
            return zip(es, as_).enumerated().flatMap { index, pair in pairs(pair.0, pair.1, path: path + "[\(index)]") }
        default: return [(path, .nan, .nan)]
        }
    }

    /// The checked quantity at the expectation's step, read from the result.
    static func value(_ expectation: ValidatedSpec.Expectation, _ result: TrainingResult) -> ExpectedValue? {
        // Early stopping ends a run before its planned last step: `final` is then the step
        // whose parameters the results hold.
        let step = expectation.atFinal && result.stopping != nil ? result.final.step : expectation.step
        let isFinal = step == result.final.step && (expectation.atFinal || step == result.steps)
        func history(_ series: [Double]?) -> Double? {
            if step == 0 { return series?.first }
            guard let index = result.history.steps.firstIndex(of: step) else { return nil }
            return series.flatMap { index < $0.count ? $0[index] : nil }
        }
        func trace() -> TraceStep? { result.trace.first { $0.step == step } }
        switch expectation.quantity {
        case .loss: return history(result.history.loss).map(ExpectedValue.number)
        case .accuracy: return history(result.history.accuracy).map(ExpectedValue.number)
        case .validationLoss: return history(result.history.validationLoss).map(ExpectedValue.number)
        case .validationAccuracy: return history(result.history.validationAccuracy).map(ExpectedValue.number)
        case .outputs(let indices):
            if step == 0 { return narrow(.matrix(result.initial.outputs), indices) }
            return isFinal ? narrow(.matrix(result.final.outputs), indices) : nil
        case .weights(let layer, let indices):
            if step == 0 { return narrow(.matrix(result.initial.layers[layer].weights), indices) }
            if isFinal { return narrow(.matrix(result.final.layers[layer].weights), indices) }
            return trace().flatMap { narrow(.matrix($0.layers[layer].weights), indices) }
        case .bias(let layer, let indices):
            if step == 0 { return result.initial.layers[layer].bias.flatMap { narrow(.vector($0), indices) } }
            if isFinal { return result.final.layers[layer].bias.flatMap { narrow(.vector($0), indices) } }
            return trace()?.layers[layer].bias.flatMap { narrow(.vector($0), indices) }
        case .sampleLosses(let indices):
            return trace().flatMap { narrow(.vector($0.samples.map(\.loss)), indices) }
        case .outputLosses(let indices):
            return trace().flatMap { narrow(.matrix($0.samples.map(\.outputTerms)), indices) }
        case .trace(let layer, let field, let indices):
            guard let traced = trace()?.layers[layer] else { return nil }
            switch field {
            case .net: return narrow(.matrix(traced.net), indices)
            case .out: return narrow(.matrix(traced.out), indices)
            case .dOut: return narrow(.matrix(traced.dOut), indices)
            case .slope: return narrow(.matrix(traced.slope), indices)
            case .delta: return narrow(.matrix(traced.delta), indices)
            case .weightGradient: return narrow(.matrix(traced.weightGradient), indices)
            case .biasGradient: return traced.biasGradient.flatMap { narrow(.vector($0), indices) }
            }
        }
    }

    private static func narrow(_ value: ExpectedValue, _ indices: [Int]) -> ExpectedValue? {
        var current = value
        for index in indices {
            guard case .list(let items) = current, index < items.count else { return nil }
            current = items[index]
        }
        return current
    }
}

extension ExpectedValue {
    static func vector(_ values: [Double]) -> ExpectedValue { .list(values.map(ExpectedValue.number)) }
    static func matrix(_ rows: [[Double]]) -> ExpectedValue { .list(rows.map(vector)) }
}
