import Diagnostics
import Foundation
import Sweeps
import YAMLSource

/// A sweep spec read, its grid parsed and expanded, and every run's spec validated:
/// nothing runs unless every expanded spec is valid.
public struct SweepExpansion: Sendable {
    public let path: String
    public let sweep: Sweep
    public let runs: [Sweep.Run]
    /// The sweep spec's identity (`FileDigest.specIdentity`): shards of one sweep share it.
    public let sha256: String
    /// The expanded specs' warnings, rendered in each run's own text (empty when there are none).
    public let warnings: String

    /// Reads the sweep spec at `path`, with `overrides` written into its text before its
    /// grid is read (so every run has them).
    public init(path: String, overrides: [SpecOverride] = []) throws(PipelineFailure) {
        self.path = path
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, as: .spec)
        } catch {
            guard case .tooLarge = error.reason else { throw .unreadable(error) }
            // Refused as the loader refuses a spec over its limit: a problem of the spec, at its start.
            throw .invalidSweep(report: DiagnosticRenderer(fileName: path, source: "").render(
                Diagnostic(.specTooLarge(error.reasonText), at: .startOfFile, path: .root)))
        }
        let read = String(decoding: bytes, as: UTF8.self)
        let renderer = DiagnosticRenderer(fileName: path, source: read)
        let source: String
        do {
            source = try SpecOverride.edit(read, with: overrides).text
        } catch {
            throw .invalidSweep(report: renderer.render(error.diagnostic))
        }
        let root: YAMLNode
        switch YAMLLoader.load(Array(source.utf8)) {
        case .failure(let diagnostic):
            throw .invalidSweep(report: renderer.render(diagnostic))
        case .success(let node):
            root = node
        }
        let (parsed, diagnostics) = SweepParser.parse(root)
        if !diagnostics.isEmpty {
            throw .invalidSweep(report: renderer.render(diagnostics))
        }
        guard let parsed else {
            throw .unrecognized(path: path, problem: "the spec has no sweep: section; run it with 'nnrun \(path)'")
        }
        sweep = parsed
        runs = parsed.runs(source: source)
        sha256 = FileDigest.specIdentity(bytes: bytes, effectiveText: overrides.isEmpty ? nil : source, overrides: overrides)
        warnings = try SweepExpansion.validate(runs, of: path)
    }

    /// Every expanded spec, validated; a problem is shown in the run's own text, with a
    /// note pointing at the swept value it came from. Returns the warnings of valid runs.
    private static func validate(_ runs: [Sweep.Run], of path: String) throws(PipelineFailure) -> String {
        var invalid = 0
        var reports: [String] = []
        for run in runs {
            let compilation = SpecCompilation(path: "\(path) [\(run.id)]", bytes: Array(run.text.utf8))
            guard !compilation.diagnostics.isEmpty else { continue }
            let diagnostics = compilation.diagnostics.map { diagnostic -> Diagnostic in
                var annotated = diagnostic
                if let source = run.sources.first(where: { $0.line == diagnostic.location.line }) {
                    annotated.notes.append(.init(location: diagnostic.location, message: "the value comes from the sweep at \(path):\(source.location)"))
                }
                return annotated
            }
            reports.append(DiagnosticRenderer(fileName: "\(path) [\(run.id)]", source: run.text).render(diagnostics))
            if case .invalid = compilation.outcome { invalid += 1 }
        }
        if invalid > 0 {
            reports.append("\(path): \(invalid) of \(runs.count) expanded specs are invalid; nothing was run")
            throw .invalidSweep(report: reports.joined(separator: "\n"))
        }
        return reports.joined(separator: "\n")
    }

    /// A file name for a run: its index and id, with characters unsafe in file names replaced.
    public static func fileName(_ run: Sweep.Run, digits: Int) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._=,-+")
        let id = String(run.id.map { allowed.contains($0) ? $0 : "_" })
        let number = String(run.index)
        return String(repeating: "0", count: max(0, digits - number.count)) + number + "-" + id
    }
}
