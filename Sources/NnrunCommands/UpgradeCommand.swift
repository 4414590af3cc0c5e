import ArgumentParser
import Foundation
import Pipeline

/// `nnrun upgrade SPEC [-o OUT]`: a format 1 spec rewritten as format 2, same meaning.
struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Rewrite a format 1 spec as format 2 with the same meaning, keeping comments and layout.",
        discussion: "Writes 'nnrun: 2' and 'bias: none' on every layer that writes no bias (format 2's default is a trained bias per unit). A format 2 spec is written unchanged; a spec with errors is refused (exit 65).")

    @Argument(help: "The spec file.", completion: .specFile)
    var spec: String

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Where to write the upgraded spec; '-' or nothing writes it to standard output. It may be the spec itself.",
        valueName: "path"), completion: .outputFile)
    var output: String?

    func run() throws {
        let text = try UpgradedSpec.text(ofSpecAt: spec)
        guard let output, output != "-" else {
            // As the file would hold it: its own last line break, or none.
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try AtomicFile.write(text, to: output)
    }
}
