import ArgumentParser
import Checks
import Foundation
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
        discussion: """
            Markdown (the default) renders on GitHub with LaTeX math; text is for a terminal; html is one self-contained page \
            with the network's picture and MathML formulas. --exercise blanks the worked numbers and writes an answer key. \
            See Docs/explain.md.
            """)

    @Argument(help: "The spec file.", completion: .specFile)
    var spec: String

    @Option(help: "The training step to explain (1 = the first update).")
    var step = 1

    @Option(help: "The training sample (0-based index into the data) to walk through; default: the step's first sample.")
    var sample: Int?

    @Option(help: "markdown, text or html.")
    var format: Explanation.Format = .markdown

    @Option(help: "Layers with more weights than this are explained in matrix form.")
    var maxTerms = 64

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"), completion: .outputFile)
    var output: String?

    @Flag(help: "Write the worked example as an exercise: the numbers of the --blank phases blanked, and an answer key.")
    var exercise = false

    @Option(help: ArgumentHelp("With --exercise: the phases whose numbers are blanked, comma-separated.",
                               valueName: "forward,backward,update"))
    var blank = "forward,backward,update"

    @Option(help: ArgumentHelp("With --exercise: the answer key's file (default: the output's name with -key before its extension).",
                               valueName: "path"), completion: .outputFile)
    var key: String?

    /// The phases named by --blank.
    var blankedPhases: Set<Explanation.Phase> {
        Set(blank.split(separator: ",").compactMap { Explanation.Phase(rawValue: $0.trimmingCharacters(in: .whitespaces)) })
    }

    /// The key's path: --key, or the output's with `-key` before its extension.
    var keyPath: String? {
        if let key { return key }
        guard let output, output != "-" else { return nil }
        let name = output as NSString
        let stem = name.deletingPathExtension, ext = name.pathExtension
        return ext.isEmpty ? stem + "-key" : "\(stem)-key.\(ext)"
    }

    func validate() throws {
        let names = blank.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if let unknown = names.first(where: { Explanation.Phase(rawValue: $0) == nil }) {
            throw ValidationError("--blank takes forward, backward and update, comma-separated; got '\(unknown)'")
        }
        if !exercise && (key != nil || blank != "forward,backward,update") {
            throw ValidationError("--blank and --key shape an exercise: add --exercise")
        }
        if exercise && keyPath == nil {
            throw ValidationError("--exercise writes a page and its answer key: give -o PATH (the key goes beside it) or --key PATH")
        }
        if exercise, let keyPath, keyPath == output {
            throw ValidationError("--key \(keyPath) is the page's own path: give the key another name")
        }
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
        if exercise, let keyPath {
            let (page, key) = explanation.exercise(as: format, blanking: blankedPhases)
            try AtomicFile.write(key, to: keyPath)
            try write(page)
        } else {
            try write(explanation.rendered(as: format))
        }
    }

    private func write(_ text: String) throws {
        if let output, output != "-" {
            try AtomicFile.write(text, to: output)
        } else {
            Terminal.out(String(text.dropLast()))
        }
    }
}

extension Explanation.Format: ExpressibleByArgument {}
