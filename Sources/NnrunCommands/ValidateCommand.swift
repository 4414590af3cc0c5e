import ArgumentParser
import Diagnostics
import Foundation
import Pipeline
import Sweeps
import YAMLSource

/// `nnrun validate SPEC...`: reports every problem of every spec, runs nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check specs and report every problem with its location; train nothing.")

    @Argument(help: "Spec files to check.", completion: .specFile)
    var specs: [String]

    @Option(help: "How to print diagnostics: text (for people, on standard error), json or github (for CI, on standard output).")
    var format: DiagnosticFormat = .text

    @OptionGroup var overrides: Overrides

    @OptionGroup var quiet: Quiet

    func validate() throws {
        if specs.isEmpty { throw ValidationError("give at least one spec file, e.g. 'nnrun validate specs/tutorial.yaml'") }
    }

    func run() throws {
        if format != .text { return try runForMachines() }
        // The most severe status wins: a missing file (66) outranks an invalid one (65), as
        // it usually means a wrong command line.
        var worst = ExitStatus.ok
        for path in specs {
            let compilation = SpecCompilation(path: path, overrides: overrides.list)
            switch compilation.outcome {
            case .unreadable(let error):
                worst = max(worst, CommandFailure.report(.unreadable(error)))
            case .valid:
                compilation.printWarnings()
                // A sweep is checked too: its grid, and every spec it expands to.
                if compilation.spec?.sweepLocation != nil {
                    do {
                        let expansion = try SweepExpansion(path: path, overrides: overrides.list)
                        if !expansion.warnings.isEmpty { Terminal.error(expansion.warnings) }
                        quiet.chatter("\(path): valid (a sweep of \(expansion.runs.count) runs, each valid)")
                    } catch {
                        worst = max(worst, CommandFailure.report(error))
                    }
                } else {
                    quiet.chatter("\(path): valid")
                }
            case .invalid:
                Terminal.error(compilation.renderedDiagnostics)
                let errors = compilation.diagnostics.filter { $0.severity == .error }.count
                Terminal.error("\(path): \(errors) error\(errors == 1 ? "" : "s")")
                worst = max(worst, .invalidSpec)
            }
        }
        if worst != .ok { throw CommandFailure(worst) }
    }
}

extension ValidateCommand {
    /// `--format json|github`: every diagnostic of every spec as data on standard output,
    /// the exit status as in text form. An unreadable spec is one diagnostic (NN0002); a
    /// sweep's grid and every spec it expands to are checked, a run's problems reported at
    /// the spec's file and lines (the expansion keeps them) with the run named in a note.
    func runForMachines() throws {
        var worst = ExitStatus.ok
        var entries: [FileDiagnostic] = []
        for path in specs {
            let compilation = SpecCompilation(path: path, overrides: overrides.list)
            if case .unreadable(let error) = compilation.outcome {
                entries.append(FileDiagnostic(file: path, diagnostic: Diagnostic(.specUnreadable(error.reasonText), at: .startOfFile, path: .root)))
            }
            entries += compilation.diagnostics.map { FileDiagnostic(file: path, diagnostic: $0) }
            switch compilation.outcome {
            case .unreadable: worst = max(worst, .noInput)
            case .invalid: worst = max(worst, .invalidSpec)
            case .valid: break
            }
            guard case .valid = compilation.outcome, compilation.spec?.sweepLocation != nil,
                  case .success(let root) = YAMLLoader.load(Array(compilation.sourceText.utf8)) else { continue }
            let (sweep, sweepDiagnostics) = SweepParser.parse(root)
            entries += sweepDiagnostics.map { FileDiagnostic(file: path, diagnostic: $0) }
            if sweepDiagnostics.containsErrors { worst = max(worst, .invalidSpec) }
            for run in sweep?.runs(source: compilation.sourceText) ?? [] {
                let expanded = SpecCompilation(path: path, bytes: Array(run.text.utf8))
                if case .invalid = expanded.outcome { worst = max(worst, .invalidSpec) }
                entries += expanded.diagnostics.map { diagnostic in
                    var inRun = diagnostic
                    inRun.notes.append(.init(location: diagnostic.location, message: "in the sweep's run \(run.id)"))
                    return FileDiagnostic(file: path, diagnostic: inRun)
                }
            }
        }
        switch format {
        case .json: Terminal.out(DiagnosticJSON.render(entries))
        case .github: if !entries.isEmpty { Terminal.out(GitHubAnnotation.render(entries)) }
        case .text: break
        }
        if worst != .ok { throw CommandFailure(worst) }
    }
}
