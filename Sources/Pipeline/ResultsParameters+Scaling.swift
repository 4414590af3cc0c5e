import Results
import Validation

extension ResultsParameters {
    /// `predict` and `export` with `--results`: the input scaling is the spec's own fit on its
    /// data, which must be the constants the results file recorded (`input_scaling`), bit for
    /// bit; otherwise the data changed since the run, and the parameters were trained on
    /// inputs scaled differently. `json`: the results file at `path`, already read.
    static func checkScaling(_ json: JSONValue, at path: String, _ scaling: InputScaling?) throws(PipelineFailure) {
        let written = json["input_scaling"]
        guard let scaling else {
            if written != nil {
                throw .unrecognized(path: path, problem: "the results file has input_scaling, and the spec has no data.scale")
            }
            return
        }
        func numbers(_ key: String) -> [Double]? {
            written?[key].flatMap { try? ResultsParameters.numbers($0, at: "input_scaling.\(key)") }
        }
        guard let offset = numbers("offset"), let scale = numbers("scale"),
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
