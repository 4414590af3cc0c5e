import ArgumentParser
import Pipeline
import Planning
import Results

/// `nnrun plan SPEC`: shows the buffers and operations a run would use.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the execution plan of a spec: layers, shapes, parameter counts, memory, operations.",
        discussion: "--format json is the plan as data (nnrun schema plan); --format dot the layers for Graphviz. See Docs/cli.md#nnrun-plan.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, dot
    }

    @Argument(help: "The spec file.", completion: .specFile)
    var spec: String

    @OptionGroup var overrides: Overrides

    @Option(help: "text (for people), json (for tools) or dot (Graphviz).")
    var format: Format = .text

    func run() throws {
        let plan = Planner.plan(try SpecCompilation.validSpec(at: spec, overrides: overrides))
        switch format {
        case .text: Terminal.out(plan.readableDescription)
        case .json: Terminal.out(String(PlanDocument.json(plan).serialized().dropLast()))
        case .dot: Terminal.out(plan.dotDescription)
        }
    }
}
