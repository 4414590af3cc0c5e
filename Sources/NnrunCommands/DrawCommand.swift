import ArgumentParser
import Explain
import Pipeline
import Planning
import Results
import Running

/// `nnrun draw SPEC -o NET.svg`: the network as the tutorial draws it.
struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw the network as SVG: units in columns, weights labelled with explain's symbols and their values.",
        discussion: "Values: the initial ones; with --results, the final ones; with --results and --step N, those after step N from the file's trace. See Docs/explain.md#the-network-diagram.")

    @Argument(help: "The spec file.", completion: .specFile)
    var spec: String

    @Option(help: ArgumentHelp("A results file of this spec to take the values from (final, or after --step).", valueName: "path.json"),
            completion: .resultsFile)
    var results: String?

    @Option(help: "With --results: the traced step whose parameters (after its update) to show.")
    var step: Int?

    @Option(name: .shortAndLong, help: ArgumentHelp("The SVG file to write (default: standard output).", valueName: "path.svg"),
            completion: .outputFile)
    var output: String?

    @OptionGroup var overrides: Overrides

    @OptionGroup var quiet: Quiet

    func validate() throws {
        if step != nil && results == nil { throw ValidationError("--step reads the trace of a results file: give --results too") }
        if let step, step < 1 { throw ValidationError("--step counts updates from 1; got \(step)") }
    }

    func run() throws {
        let compilation = SpecCompilation(path: spec, overrides: overrides.list)
        let validated = try compilation.validSpec()
        compilation.printWarnings()
        let plan = Planner.plan(validated)
        var values = NetworkDiagram.Values.initial(plan)
        if let results {
            let (parameters, _) = try ResultsParameters.read(results, step.map { .step($0) } ?? .final, plan: plan,
                                                         specPath: spec, specSHA256: compilation.sha256)
            values = .layers(plan.layerParameters(parameters), caption: step.map { "after step \($0)" } ?? "final values")
        }
        let svg = NetworkDiagram(name: validated.name, plan: plan, values: values).svg
        if let output, output != "-" {
            try AtomicFile.write(svg, to: output)
            quiet.chatter("draw: \(output)")
        } else {
            Terminal.out(String(svg.dropLast()))
        }
    }
}
