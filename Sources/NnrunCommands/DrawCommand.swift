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

    @OptionGroup var quiet: Quiet

    func validate() throws {
        if step != nil && results == nil { throw ValidationError("--step reads the trace of a results file: give --results too") }
        if let step, step < 1 { throw ValidationError("--step counts updates from 1; got \(step)") }
    }

    func run() throws {
        let validated = try SpecCompilation.validSpec(at: spec)
        let plan = Planner.plan(validated)
        var values = NetworkDiagram.Values.initial(plan)
        if let results {
            let document = try JSONValue.read(results, as: .resultsFile)
            let layers: [LayerParameters]
            switch ResultsParameters.layers(in: document, step: step) {
            case .success(let read): layers = read
            case .failure(let problem): throw CommandFailure(.invalidSpec, "\(results): error: \(problem.message)")
            }
            if let mismatch = Self.mismatch(layers, plan) {
                throw CommandFailure(.invalidSpec, "\(results): error: not a results file of \(spec): \(mismatch)")
            }
            values = .layers(layers, caption: step.map { "after step \($0)" } ?? "final values")
        }
        let svg = NetworkDiagram(name: validated.name, plan: plan, values: values).svg
        if let output, output != "-" {
            try AtomicFile.write(svg, to: output)
            quiet.chatter("draw: \(output)")
        } else {
            Terminal.out(String(svg.dropLast()))
        }
    }

    /// Why the layers do not fit the plan's shapes, or nil when they do.
    static func mismatch(_ layers: [LayerParameters], _ plan: Plan) -> String? {
        guard layers.count == plan.layers.count else { return "it has \(layers.count) layers, the spec \(plan.layers.count)" }
        for (layer, planned) in zip(layers, plan.layers) {
            if layer.weights.count != planned.units || layer.weights.contains(where: { $0.count != planned.inputCount }) {
                return "layer '\(layer.name)' has weights that are not \(planned.units) rows of \(planned.inputCount)"
            }
            if (layer.bias == nil) != (planned.biasCount == 0) || (layer.bias.map { $0.count != planned.units } ?? false) {
                return "layer '\(layer.name)' has a bias that does not match the spec's"
            }
        }
        return nil
    }
}
