import ArgumentParser
import Diagnostics
import Foundation
import Results
import Sweeps
import YAMLSource

/// A sweep spec read, its grid parsed and expanded, and every run's spec validated:
/// nothing runs unless every expanded spec is valid.
struct SweepExpansion {
    let path: String
    let sweep: Sweep
    let runs: [Sweep.Run]
    let sha256: String

    init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            Terminal.error("\(path): error: cannot read the spec")
            throw ExitStatus.noInput.exitCode
        }
        let bytes = Array(data)
        let source = String(decoding: bytes, as: UTF8.self)
        let renderer = DiagnosticRenderer(fileName: path, source: source)
        let root: YAMLNode
        switch YAMLLoader.load(bytes) {
        case .failure(let diagnostic):
            Terminal.error(renderer.render(diagnostic))
            throw ExitStatus.invalidSpec.exitCode
        case .success(let node):
            root = node
        }
        let (parsed, diagnostics) = SweepParser.parse(root)
        if !diagnostics.isEmpty {
            Terminal.error(renderer.render(diagnostics))
            throw ExitStatus.invalidSpec.exitCode
        }
        guard let parsed else {
            Terminal.error("\(path): error: the spec has no sweep: section; run it with 'nnrun \(path)'")
            throw ExitStatus.invalidSpec.exitCode
        }
        sweep = parsed
        runs = parsed.runs(source: source)
        sha256 = ResultsFile.Source(name: "", path: path, bytes: bytes).sha256
        try validateRuns()
    }

    /// Every expanded spec, validated; a problem is shown in the run's own text, with a
    /// note pointing at the swept value it came from.
    private func validateRuns() throws {
        var invalid = 0
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
            Terminal.error(DiagnosticRenderer(fileName: "\(path) [\(run.id)]", source: run.text).render(diagnostics))
            if case .invalid = compilation.outcome { invalid += 1 }
        }
        if invalid > 0 {
            Terminal.error("\(path): \(invalid) of \(runs.count) expanded specs are invalid; nothing was run")
            throw ExitStatus.invalidSpec.exitCode
        }
    }

    /// A file name for a run: its index and id, with characters unsafe in file names replaced.
    static func fileName(_ run: Sweep.Run, digits: Int) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._=,-+")
        let id = String(run.id.map { allowed.contains($0) ? $0 : "_" })
        let number = String(run.index)
        return String(repeating: "0", count: max(0, digits - number.count)) + number + "-" + id
    }
}
