import ArgumentParser
import Foundation
import Planning
import Results
import Running

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

    func run() throws {
        let (compilation, validated) = try SpecCompilation.validSpec(at: spec)
        let plan = Planner.plan(validated)
        let started = ContinuousClock.now
        let result = Runner.run(plan)
        let elapsed = ContinuousClock.now - started

        let source = ResultsFile.Source(name: validated.name, path: spec, bytes: compilation.bytes)
        var document = ResultsFile.json(result, source: source)
        if timing, case .object(var members) = document {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            members.append(("timing", .object([("training_seconds", .number(seconds))])))
            document = .object(members)
        }
        let destination = output ?? RunCommand.defaultOutput(for: spec)
        let settings = "\(plan.training.optimizer.name), learning rate \(plan.training.learningRate), "
            + "batch \(plan.training.batch.description), \(plan.training.update.rawValue) update"
        if destination == "-" {
            Terminal.out(document.serialized().dropLast().description)
            Terminal.error(Summary.text(result, specName: validated.name, settings: settings, resultsPath: nil))
        } else {
            do {
                try AtomicFile.write(document.serialized(), to: destination)
            } catch {
                Terminal.error("error: \(error.description)")
                throw ExitStatus.cannotCreateOutput.exitCode
            }
            Terminal.out(Summary.text(result, specName: validated.name, settings: settings, resultsPath: destination))
        }
        if result.status == .diverged { throw ExitStatus.diverged.exitCode }
    }

    /// `specs/tutorial.yaml` -> `tutorial.results.json`, in the current folder.
    static func defaultOutput(for spec: String) -> String {
        let file = URL(fileURLWithPath: spec).deletingPathExtension().lastPathComponent
        return file + ".results.json"
    }
}
