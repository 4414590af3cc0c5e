import ArgumentParser

/// `nnrun schema spec|results`: the JSON Schemas, for editors and validators.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the spec format or the results format.",
        discussion: "Docs/schemas/ holds the same files; Docs/spec-format.md shows the editor modeline.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case spec, results
    }

    @Argument(help: "spec or results.")
    var kind: Kind

    func run() {
        Terminal.out(kind == .spec ? Schemas.spec : Schemas.results)
    }
}
