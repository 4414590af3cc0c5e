import Running

/// The parameters a results file holds, read back: the final ones, or those after a
/// traced step (for `nnrun draw --results`).
public enum ResultsParameters {
    /// The layers of `final` (step nil) or of the trace of `step`, or a message that says
    /// what is missing.
    public static func layers(in results: JSONValue, step: Int?) -> Result<[LayerParameters], Problem> {
        let layers: JSONValue?
        if let step {
            guard case .array(let trace)? = results["trace"] else { return .failure(Problem("it has no trace")) }
            let traced = trace.first { if case .integer(step)? = $0["step"] { return true } else { return false } }
            guard let traced else {
                let steps = trace.compactMap { if case .integer(let s)? = $0["step"] { return String(s) } else { return nil } }
                return .failure(Problem("step \(step) is not traced (traced: \(steps.isEmpty ? "none" : steps.joined(separator: ", "))); add it to the spec's record.trace and run again"))
            }
            layers = traced["layers"]
        } else {
            layers = results["final"]?["layers"]
        }
        guard case .array(let items)? = layers else { return .failure(Problem("it has no layers' parameters")) }
        var parsed: [LayerParameters] = []
        for (l, item) in items.enumerated() {
            guard case .string(let name)? = item["name"], let weights = matrix(item["weights"]) else {
                return .failure(Problem("layer \(l) has no name or no weights"))
            }
            let bias: [Double]?
            switch item["bias"] {
            case .null?, nil: bias = nil
            case let value?:
                guard let row = numbers(value) else { return .failure(Problem("layer \(l)'s bias is not a list of numbers")) }
                bias = row
            }
            let shared: Bool
            if case .bool(let flag)? = item["bias_shared"] { shared = flag } else { shared = false }
            parsed.append(LayerParameters(name: name, weights: weights, bias: bias, biasShared: shared))
        }
        return .success(parsed)
    }

    public struct Problem: Error, Sendable {
        public var message: String
        init(_ message: String) { self.message = message }
    }

    private static func numbers(_ value: JSONValue) -> [Double]? {
        guard case .array(let items) = value else { return nil }
        var row: [Double] = []
        for item in items {
            switch item {
            case .number(let x): row.append(x)
            case .integer(let n): row.append(Double(n))
            default: return nil
            }
        }
        return row
    }

    private static func matrix(_ value: JSONValue?) -> [[Double]]? {
        guard case .array(let rows)? = value else { return nil }
        var matrix: [[Double]] = []
        for row in rows {
            guard let numbers = numbers(row) else { return nil }
            matrix.append(numbers)
        }
        return matrix
    }
}
