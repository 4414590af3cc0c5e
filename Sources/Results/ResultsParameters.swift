import Planning
import Running
import Validation

/// The parameters a results file holds (Docs/results-format.md), read back per layer: its
/// `initial` or `final` layers, or those after a traced step. Numbers are written in the
/// shortest form that reads back to the same Float64, so these are the run's bits. One
/// reader for every command that takes parameters from a results file (`export`,
/// `predict`, `draw`).
public enum ResultsParameters {
    /// Which parameters of the file.
    public enum Section: Sendable, Equatable {
        case initial
        case final
        /// After the update of this step, from the file's `trace`.
        case step(Int)

        /// The key path of the section's layers, for messages: `final.layers`, `trace[step 3].layers`.
        public var keyPath: String {
            switch self {
            case .initial: return "initial.layers"
            case .final: return "final.layers"
            case .step(let step): return "trace[step \(step)].layers"
            }
        }
    }

    /// Why the parameters cannot be read, with the key path of the offending value.
    public struct Problem: Error, Sendable, Equatable {
        public var message: String
        init(_ message: String) { self.message = message }
    }

    /// The layers of `section`, each with its name, weights (rows of inputs), bias (null
    /// when the layer has none) and whether the bias is shared.
    public static func layers(in results: JSONValue, _ section: Section) -> Result<[LayerParameters], Problem> {
        let layers: JSONValue?
        switch section {
        case .initial: layers = results["initial"]?["layers"]
        case .final: layers = results["final"]?["layers"]
        case .step(let step):
            guard case .array(let trace)? = results["trace"] else { return .failure(Problem("it has no trace")) }
            let traced = trace.first { if case .integer(step)? = $0["step"] { return true } else { return false } }
            guard let traced else {
                let steps = trace.compactMap { if case .integer(let s)? = $0["step"] { return String(s) } else { return nil } }
                return .failure(Problem("step \(step) is not traced (traced: \(steps.isEmpty ? "none" : steps.joined(separator: ", "))); add it to the spec's record.trace and run again"))
            }
            layers = traced["layers"]
        }
        guard case .array(let items)? = layers else { return .failure(Problem("it has no \(section.keyPath)")) }
        var parsed: [LayerParameters] = []
        for (index, item) in items.enumerated() {
            do {
                parsed.append(try layer(item, at: "\(section.keyPath)[\(index)]"))
            } catch {
                return .failure(error)
            }
        }
        return .success(parsed)
    }

    /// Why `layers` do not have the plan's names and shapes, or nil when they do.
    public static func mismatch(_ layers: [LayerParameters], _ plan: Plan) -> String? {
        guard layers.count == plan.layers.count else { return "it has \(layers.count) layers, the spec \(plan.layers.count)" }
        for (layer, planned) in zip(layers, plan.layers) {
            if layer.name != planned.name { return "its layer '\(layer.name)' is the spec's '\(planned.name)'" }
            if layer.weights.count != planned.units || layer.weights.contains(where: { $0.count != planned.inputCount }) {
                return "layer '\(layer.name)' has weights that are not \(planned.units) rows of \(planned.inputCount)"
            }
            if (layer.bias == nil) != (planned.biasCount == 0) || (layer.bias.map { $0.count != planned.units } ?? false) {
                return "layer '\(layer.name)' has a bias that does not match the spec's"
            }
        }
        return nil
    }

    private static func layer(_ item: JSONValue, at key: String) throws(Problem) -> LayerParameters {
        guard case .string(let name)? = item["name"] else { throw Problem("\(key).name is not a layer's name") }
        guard case .array(let rows)? = item["weights"] else { throw Problem("\(key).weights is not a list of rows") }
        var weights: [[Double]] = []
        for (index, row) in rows.enumerated() { weights.append(try numbers(row, at: "\(key).weights[\(index)]")) }
        var bias: [Double]?
        if let value = item["bias"], value != .null { bias = try numbers(value, at: key + ".bias") }
        let shared: Bool
        if case .bool(let flag)? = item["bias_shared"] { shared = flag } else { shared = false }
        return LayerParameters(name: name, weights: weights, bias: bias, biasShared: shared)
    }

    /// A list of numbers; null (how a results file writes NaN and infinities) is refused.
    public static func numbers(_ value: JSONValue, at key: String) throws(Problem) -> [Double] {
        guard case .array(let items) = value else { throw Problem("\(key) is not a list of numbers") }
        var numbers: [Double] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .number(let number): numbers.append(number)
            case .integer(let integer): numbers.append(Double(integer))
            case .null: throw Problem("\(key)[\(index)] is null: the run's parameters were not finite (it diverged)")
            default: throw Problem("\(key)[\(index)] is not a number")
            }
        }
        return numbers
    }
}
