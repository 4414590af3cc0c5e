import ArgumentParser

/// `nnrun`: the root command. `nnrun SPEC` is `nnrun run SPEC`.
public struct Nnrun: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "nnrun",
        abstract: "Compile a YAML neural-network spec, train it exactly in Float64, and write the results.",
        discussion: """
            Exit codes: 0 ok, 3 training diverged (results still written), 64 usage error, 65 invalid spec, 66 spec file missing or unreadable, \
            70 internal error, 73 cannot create the results file. See Docs/exit-codes.md.
            """,
        version: "0.1.0",
        subcommands: [RunCommand.self, ValidateCommand.self, PlanCommand.self, ExplainCommand.self,
                      CheckCommand.self, DiffCommand.self, SchemaCommand.self, GradcheckCommand.self,
                      SweepCommand.self, PlotCommand.self, DrawCommand.self, BenchCommand.self, ExportCommand.self, PredictCommand.self, UpgradeCommand.self, CompileCommand.self],
        defaultSubcommand: RunCommand.self
    )

    public init() {}
}
