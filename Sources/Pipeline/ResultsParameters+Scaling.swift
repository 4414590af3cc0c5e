import Results
import Validation

extension ResultsParameters {
    /// `predict` and `export` with `--results`: the input scaling is the spec's own fit on its
    /// data, which must be the constants the results file recorded (`input_scaling`), bit for
    /// bit; otherwise the data changed since the run, and the parameters were trained on
    /// inputs scaled differently.
    public static func checkScaling(_ path: String, _ scaling: InputScaling?) throws(PipelineFailure) {
        let json = try JSONValue.read(path, as: .resultsFile)
        let written = json["input_scaling"]
        guard let scaling else {
            if written != nil {
                throw .unrecognized(path: path, problem: "the results file has input_scaling, and the spec has no data.scale")
            }
            return
        }
        func numbers(_ value: JSONValue?) -> [Double]? {
            guard case .array(let items)? = value else { return nil }
            let read = items.compactMap { item -> Double? in
                switch item {
                case .number(let number): return number
                case .integer(let integer): return Double(integer)
                default: return nil
                }
            }
            return read.count == items.count ? read : nil
        }
        let offset = numbers(written?["offset"]), scale = numbers(written?["scale"])
        guard let offset, let scale,
              offset.map(\.bitPattern) == scaling.offset.map(\.bitPattern), scale.map(\.bitPattern) == scaling.scale.map(\.bitPattern)
        else {
            throw .unrecognized(path: path, problem: """
                the input scaling the results file recorded is not the one the spec's data gives now \
                (offset \(scaling.offset), scale \(scaling.scale)): the data changed since the run
                  fix: run the spec again (nnrun SPEC -o results.json), or restore the data it was trained on
                """)
        }
    }
}
