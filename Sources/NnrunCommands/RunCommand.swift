import ArgumentParser
import Foundation
import Pipeline
import Results

/// `nnrun run SPEC` (also plain `nnrun SPEC`): trains and writes the results file.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train a spec and write its results file (the default command).")

    @Argument(help: "The spec file.", completion: .specFile)
    var spec: String

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Where to write the results file; '-' writes it to standard output.",
        discussion: "Default: <spec file name without extension>.results.json in the current folder.",
        valueName: "path"), completion: .outputFile)
    var output: String?

    @Flag(help: "Add the wall-clock training time to the results file (this makes it differ between runs).")
    var timing = false

    @Option(help: ArgumentHelp("Also draw the loss against step into this SVG file.", valueName: "path.svg"), completion: .outputFile)
    var plot: String?

    @Flag(help: "With --plot: a logarithmic loss axis.")
    var plotLog = false

    @OptionGroup var overrides: Overrides

    @OptionGroup var quiet: Quiet

    @OptionGroup var memory: MemoryLimit

    @OptionGroup var kernels: KernelChoice

    func run() throws {
        Interrupts.install()
        let run = try SpecRun.trained(spec, overrides: overrides, memory: memory, kernels: kernels.options, showProgress: !quiet.isOn)
        let document = run.document(timing: timing)
        let destination = output ?? RunCommand.defaultOutput(for: spec)
        let checks = run.checks.isEmpty ? nil : Summary.Checks(passed: run.checks.count - run.failedChecks,
                                                               failures: zip(run.checks, run.checkLines).filter { !$0.0.passed }.map(\.1))
        if destination == "-" {
            Terminal.out(document.serialized().dropLast().description)
        } else {
            try AtomicFile.write(document.serializedBytes(), to: destination)
        }
        if quiet.isOn {
            for line in Summary.problems(run.result, specName: run.validated.name, specPath: spec, checks: checks) { Terminal.error(line) }
        } else {
            let summary = Summary.text(run.result, specName: run.validated.name, specPath: spec, settings: run.settings, checks: checks,
                                       resultsPath: destination == "-" ? nil : destination)
            // With the results file on standard output, the summary goes to standard error.
            if destination == "-" { Terminal.error(summary) } else { Terminal.out(summary) }
        }
        if let plot, let series = LossPlot.series(from: document, label: run.validated.name) {
            try AtomicFile.write(LossPlot(series: [series], logScale: plotLog, title: "loss of \(run.validated.name)").svg, to: plot)
        }
        switch run.result.status {
        case .completed: break
        case .diverged: throw CommandFailure(.diverged)
        case .interrupted: throw CommandFailure.interrupted
        }
    }

    /// `specs/tutorial.yaml` -> `tutorial.results.json`, in the current folder.
    static func defaultOutput(for spec: String) -> String {
        let file = URL(fileURLWithPath: spec).deletingPathExtension().lastPathComponent
        return file + ".results.json"
    }
}
