import Planning

/// Why the pipeline stopped before producing what it was asked for, with everything a
/// report needs. The commands map each case to an exit status (Docs/exit-codes.md) and
/// print its `message`.
public enum PipelineFailure: Error {
    /// A file could not be read: missing, a folder, over its kind's size limit, or the system refused.
    case unreadable(InputFile.ReadError)
    /// The spec has errors; the compilation holds their diagnostics.
    case invalidSpec(SpecCompilation)
    /// The run's estimated memory is above the limit; nothing was allocated.
    case overMemoryLimit(spec: String, estimate: MemoryEstimate, limit: Int)
    /// A sweep's grid, or a spec it expands to, has errors; `report` is their diagnostics, rendered.
    case invalidSweep(report: String)
    /// A file was read but is not what it should be: not JSON, not a results file, not a shard summary.
    case unrecognized(path: String, problem: String)
    /// Files the command needs are not there; the text says which (`error: ...`).
    case missingFiles(String)
    /// Shard summaries that do not make one sweep (different sweeps, runs missing or twice).
    case inconsistentShards(String)
    /// An output could not be written.
    case unwritable(AtomicFile.WriteError)
    /// Training, run to get the parameters a command needs (`export`, `predict`), diverged at `step`.
    case trainingDiverged(spec: String, step: Int)
    /// Training, run likewise, was stopped (SIGINT, SIGTERM) after `step` updates.
    case trainingInterrupted(spec: String, step: Int)
    /// A file of new samples' inputs is not what the spec's data rules ask; the message
    /// starts with the place (`new.csv:3:5: error: ...`) and ends with a fix.
    case invalidInputs(String)

    /// What the user reads on standard error, without the final line break.
    public var message: String {
        switch self {
        case .unreadable(let error):
            return error.description
        case .invalidSpec(let compilation):
            let errors = compilation.diagnostics.filter { $0.severity == .error }.count
            return compilation.renderedDiagnostics + "\n"
                + "\(compilation.path): \(errors) error\(errors == 1 ? "" : "s"); nothing was run"
        case .overMemoryLimit(let spec, let estimate, let limit):
            return "\(spec): error: the run needs an estimated \(estimate.description), more than --max-memory \(MemoryEstimate.bytes(limit))\n"
                + "  fix: make the network, the data or record.trace smaller, or raise --max-memory"
        case .invalidSweep(let report):
            return report
        case .unrecognized(let path, let problem):
            return "\(path): error: \(problem)"
        case .missingFiles(let text), .inconsistentShards(let text):
            return text
        case .unwritable(let error):
            return "error: \(error.description)"
        case .trainingDiverged(let spec, let step):
            return "\(spec): error: training diverged at step \(step) (the loss or a parameter is no longer finite); nothing was written\n"
                + "  fix: run the spec (nnrun \(spec)) to see where, and lower the learning rate"
        case .trainingInterrupted(let spec, let step):
            return "\(spec): training stopped after \(step) steps; nothing was written"
        case .invalidInputs(let text):
            return text
        }
    }
}

extension MemoryEstimate {
    /// Throws when the estimate is above `limit` bytes: checked before anything is allocated.
    public func check(limit: Int, spec: String) throws(PipelineFailure) {
        guard totalBytes > limit else { return }
        throw .overMemoryLimit(spec: spec, estimate: self, limit: limit)
    }
}
