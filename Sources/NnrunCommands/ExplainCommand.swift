import ArgumentParser
import Checks
import Explain
import Pipeline
import Planning
import Results
import Running
import Validation

/// `nnrun explain SPEC`: the step-by-step worked example of one training step.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Write the worked backpropagation example of one training step, with the spec's own numbers.",
        discussion: "Markdown (the default) renders on GitHub with LaTeX math; text is for a terminal. See Docs/explain.md.")

    @Argument(help: "The spec file.", completion: .specFile)
    var spec: String

    @Option(help: "The training step to explain (1 = the first update).")
    var step = 1

    @Option(help: "The training sample (0-based index into the data) to walk through; default: the step's first sample.")
    var sample: Int?

    @Option(help: "markdown or text.")
    var format: Explanation.Format = .markdown

    @Option(help: "Layers with more weights than this are explained in matrix form.")
    var maxTerms = 64

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"), completion: .outputFile)
    var output: String?

    func validate() throws {
        guard step >= 1 else { throw ValidationError("--step counts updates from 1; got \(step)") }
        guard maxTerms >= 1 else { throw ValidationError("--max-terms must be at least 1; got \(maxTerms)") }
    }

    /// Accepted like every reporting command's: explain prints nothing but its page (the
    /// product, written to standard output or -o) and its errors, so there is nothing to hide.
    @OptionGroup var overrides: Overrides

    @OptionGroup var quiet: Quiet

    @OptionGroup var memory: MemoryLimit

    func run() throws {
        let validated = try SpecCompilation.validSpec(at: spec, overrides: overrides)
        guard step <= validated.training.steps else {
            throw ValidationError("--step \(step) is beyond the spec's \(validated.training.steps) steps")
        }
        // Train only up to the step, tracing it and the one before (whose parameters it starts from).
        try Planner.estimate(StepReplay.truncated(validated, to: step)).check(limit: memory.bytes, spec: spec)
        guard let replay = StepReplay(validated, step: step) else {
            throw CommandFailure(.diverged, "error: training stopped before step \(step) (it diverged)")
        }
        let trace = replay.trace
        let chosen = sample ?? trace.samples[0].index
        let input = Explainer.Input(specName: validated.name, plan: replay.plan, trace: trace, previous: replay.previous,
                                    before: replay.before, trainingLossBefore: replay.trainingLossBefore,
                                    trainingLossAfter: replay.trainingLossAfter, sample: chosen, maxTerms: maxTerms)
        guard let explanation = Explainer.explain(input) else {
            let batch = trace.samples.map { String($0.index) }.joined(separator: ", ")
            throw ValidationError("sample \(chosen) is not in step \(step)'s batch; its samples are \(batch)")
        }
        let text = explanation.rendered(as: format)
        if let output, output != "-" {
            try AtomicFile.write(text, to: output)
        } else {
            Terminal.out(String(text.dropLast()))
        }
    }
}

extension Explanation.Format: ExpressibleByArgument {}
