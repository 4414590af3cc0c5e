import Planning
import Results
import Running

/// A network's parameters read back from a results file (Docs/results-format.md): its
/// `final` (or `initial`) `layers`, refused unless the file was written for the spec at
/// hand, and checked layer by layer against the spec's plan. Numbers are written in the
/// shortest form that reads back to the same Float64, so the parameters are the run's bits.
enum ResultsParameters {
    static func read(_ path: String, initial: Bool, plan: Plan, specPath: String,
                     specSHA256: String) throws(PipelineFailure) -> (parameters: [Double], step: Int) {
        let json = try JSONValue.read(path, as: .resultsFile)
        guard case .string(ResultsFile.format)? = json["format"] else {
            throw .unrecognized(path: path, problem: "not a results file (its \"format\" is not \"\(ResultsFile.format)\")")
        }
        guard case .string(let written)? = json["spec"]?["sha256"] else {
            throw .unrecognized(path: path, problem: "the results file has no spec.sha256, so it cannot be matched to a spec")
        }
        guard written == specSHA256 else {
            throw .unrecognized(path: path, problem: """
                the results file was written for another spec: its spec.sha256 is \(written), \
                and '\(specPath)' has \(specSHA256)
                  fix: give the results file of this spec as it is now (nnrun \(specPath) -o results.json), \
                or the spec it was written for
                """)
        }
        let section = initial ? "initial" : "final"
        guard case .array(let layers)? = json[section]?["layers"] else {
            throw .unrecognized(path: path, problem: "the results file has no \(section).layers")
        }
        var parsed: [LayerParameters] = []
        for (index, layer) in layers.enumerated() {
            let key = "\(section).layers[\(index)]"
            guard index < plan.layers.count else { break }
            let expected = plan.layers[index]
            guard case .string(let name)? = layer["name"], name == expected.name else {
                throw .unrecognized(path: path, problem: "\(key) is not the spec's layer '\(expected.name)'")
            }
            let weights = try matrix(layer["weights"], at: key + ".weights", path: path)
            var bias: [Double]?
            if let value = layer["bias"], value != .null {
                bias = try vector(value, at: key + ".bias", path: path)
            }
            parsed.append(LayerParameters(name: name, weights: weights, bias: bias, biasShared: expected.biasShared))
        }
        guard parsed.count == plan.layers.count, layers.count == plan.layers.count,
              let flat = plan.flatParameters(parsed) else {
            throw .unrecognized(path: path, problem: "the layers' shapes in \(section).layers are not the spec's")
        }
        var step = 0
        if !initial, case .integer(let written)? = json["final"]?["step"] { step = written }
        return (flat, step)
    }

    private static func matrix(_ value: JSONValue?, at key: String, path: String) throws(PipelineFailure) -> [[Double]] {
        guard case .array(let rows)? = value else {
            throw .unrecognized(path: path, problem: "\(key) is not a list of rows")
        }
        var matrix: [[Double]] = []
        for (index, row) in rows.enumerated() { matrix.append(try vector(row, at: "\(key)[\(index)]", path: path)) }
        return matrix
    }

    /// A list of numbers; null (how a results file writes NaN and infinities) is refused.
    private static func vector(_ value: JSONValue, at key: String, path: String) throws(PipelineFailure) -> [Double] {
        guard case .array(let items) = value else {
            throw .unrecognized(path: path, problem: "\(key) is not a list of numbers")
        }
        var numbers: [Double] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .number(let number): numbers.append(number)
            case .integer(let integer): numbers.append(Double(integer))
            case .null:
                throw .unrecognized(path: path, problem: "\(key)[\(index)] is null: the run's parameters were not finite (it diverged)")
            default:
                throw .unrecognized(path: path, problem: "\(key)[\(index)] is not a number")
            }
        }
        return numbers
    }
}
