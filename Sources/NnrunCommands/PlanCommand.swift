import ArgumentParser
import Pipeline
import Planning

/// `nnrun plan SPEC`: shows the buffers and operations a run would use.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the execution plan of a spec: layers, shapes, parameter counts, memory, operations.")

    @Argument(help: "The spec file.", completion: .specFile)
    var spec: String

    @OptionGroup var overrides: Overrides

    func run() throws {
        Terminal.out(Planner.plan(try SpecCompilation.validSpec(at: spec, overrides: overrides)).readableDescription)
    }
}
