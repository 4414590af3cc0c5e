import Planning
import Results
import Running
import Validation

extension ResultsParameters {
    /// A network's parameters read back from the results file at `path` for the spec at
    /// hand: refused unless the file was written for that spec (its `spec.sha256`), and
    /// checked layer by layer against the spec's plan. The parameters come flat, in the
    /// plan's buffer order, with the step they are from (0 for `initial`). `checkingScaling`:
    /// also refuse a file whose recorded input scaling is not the plan's (`checkScaling`).
    public static func read(_ path: String, _ section: Section, plan: Plan, specPath: String,
                     specSHA256: String, checkingScaling: Bool = false) throws(PipelineFailure) -> (parameters: [Double], step: Int) {
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
        let layers: [LayerParameters]
        switch ResultsParameters.layers(in: json, section) {
        case .success(let read): layers = read
        case .failure(let problem): throw .unrecognized(path: path, problem: problem.message)
        }
        if let mismatch = ResultsParameters.mismatch(layers, plan) {
            throw .unrecognized(path: path, problem: "the layers' shapes in \(section.keyPath) are not the spec's: \(mismatch)")
        }
        guard let flat = plan.flatParameters(layers) else {
            throw .unrecognized(path: path, problem: "the layers' shapes in \(section.keyPath) are not the spec's")
        }
        if checkingScaling { try checkScaling(json, at: path, plan.inputScaling) }
        switch section {
        case .initial: return (flat, 0)
        case .step(let step): return (flat, step)
        case .final:
            if case .integer(let step)? = json["final"]?["step"] { return (flat, step) }
            return (flat, 0)
        }
    }
}
