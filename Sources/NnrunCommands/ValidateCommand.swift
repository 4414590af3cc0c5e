import ArgumentParser
import Pipeline

/// `nnrun validate SPEC...`: reports every problem of every spec, runs nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check specs and report every problem with its location; train nothing.")

    @Argument(help: "Spec files to check.", completion: .specFile)
    var specs: [String]

    @OptionGroup var quiet: Quiet

    func validate() throws {
        if specs.isEmpty { throw ValidationError("give at least one spec file, e.g. 'nnrun validate specs/tutorial.yaml'") }
    }

    func run() throws {
        // The most severe status wins: a missing file (66) outranks an invalid one (65), as
        // it usually means a wrong command line.
        var worst = ExitStatus.ok
        for path in specs {
            let compilation = SpecCompilation(path: path)
            switch compilation.outcome {
            case .unreadable(let error):
                worst = max(worst, CommandFailure.report(.unreadable(error)))
            case .valid:
                compilation.printWarnings()
                // A sweep is checked too: its grid, and every spec it expands to.
                if compilation.spec?.sweepLocation != nil {
                    do {
                        let expansion = try SweepExpansion(path: path)
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
