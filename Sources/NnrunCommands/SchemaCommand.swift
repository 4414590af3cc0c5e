import ArgumentParser

/// `nnrun schema spec|results|plan`: the JSON Schemas, for editors and validators.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the spec format, the results format or plan --format json.",
        discussion: "Docs/schemas/ holds the same files; Docs/spec-format.md shows the editor modeline.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case spec, results, plan
    }

    @Argument(help: "spec, results or plan.")
    var kind: Kind

    func run() {
        switch kind {
        case .spec: Terminal.out(Schemas.spec)
        case .results: Terminal.out(Schemas.results)
        case .plan: Terminal.out(Schemas.plan)
        }
    }
}
