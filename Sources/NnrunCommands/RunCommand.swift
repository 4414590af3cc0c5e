import ArgumentParser
import Foundation
import Results

/// `nnrun run SPEC` (also plain `nnrun SPEC`): trains and writes the results file.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train a spec and write its results file (the default command).")

    @Argument(help: "The spec file.")
    var spec: String

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Where to write the results file; '-' writes it to standard output.",
        discussion: "Default: <spec file name without extension>.results.json in the current folder.",
        valueName: "path"))
    var output: String?

    @Flag(help: "Add the wall-clock training time to the results file (this makes it differ between runs).")
    var timing = false

    @Option(help: ArgumentHelp("Also draw the loss against step into this SVG file.", valueName: "path.svg"))
    var plot: String?

    @Flag(help: "With --plot: a logarithmic loss axis.")
    var plotLog = false

    @Flag(help: "No progress line (it is shown only when standard error is a terminal anyway).")
    var quiet = false

    @OptionGroup var memory: MemoryLimit

    @OptionGroup var kernels: KernelChoice

    func run() throws {
        Interrupts.install()
        let run = try SpecRun(path: spec, limit: memory, kernels: kernels.options, showProgress: !quiet)
        let document = run.document(timing: timing)
        let destination = output ?? RunCommand.defaultOutput(for: spec)
        var report = [Summary.text(run.result, specName: run.validated.name, settings: run.settings,
                                   resultsPath: destination == "-" ? nil : destination)]
        if !run.checks.isEmpty {
            report.append("  checks   \(run.checks.count - run.failedChecks) passed, \(run.failedChecks) failed")
            // Only the failures: `nnrun check` lists every check.
            report += zip(run.checks, run.checkLines).filter { !$0.0.passed }.map { "  " + $0.1 }
        }
        if destination == "-" {
            Terminal.out(document.serialized().dropLast().description)
            Terminal.error(report.joined(separator: "\n"))
        } else {
            do {
                try AtomicFile.write(document.serializedBytes(), to: destination)
            } catch {
                Terminal.error("error: \(error.description)")
                throw ExitStatus.cannotCreateOutput.exitCode
            }
            Terminal.out(report.joined(separator: "\n"))
        }
        if let plot, let series = LossPlot.series(from: document, label: run.validated.name) {
            try PlotCommand.write(LossPlot(series: [series], logScale: plotLog, title: "loss of \(run.validated.name)"), to: plot)
        }
        switch run.result.status {
        case .completed: break
        case .diverged: throw ExitStatus.diverged.exitCode
        case .interrupted: throw ExitCode(Interrupts.exitStatus)
        }
    }

    /// `specs/tutorial.yaml` -> `tutorial.results.json`, in the current folder.
    static func defaultOutput(for spec: String) -> String {
        let file = URL(fileURLWithPath: spec).deletingPathExtension().lastPathComponent
        return file + ".results.json"
    }
}
