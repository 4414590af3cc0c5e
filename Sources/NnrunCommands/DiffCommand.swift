import ArgumentParser
import Foundation
import Pipeline
import Results

/// `nnrun diff A.json B.json`: element-by-element comparison of two results files; a
/// different `spec.path` is a note, and `--ignore PATH` leaves members out.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two results files element by element; exit 1 when they differ beyond the tolerances.")

    @Argument(help: "The first results file.", completion: .resultsFile)
    var first: String

    @Argument(help: "The second results file.", completion: .resultsFile)
    var second: String

    @Option(name: .customLong("abs"), help: "Numbers closer than this are equal.")
    var absolute = 0.0

    @Option(name: .customLong("rel"), help: "Numbers closer than this times the larger magnitude are equal.")
    var relative = 0.0

    @OptionGroup var ignoring: IgnoredPaths

    func validate() throws {
        if absolute < 0 || relative < 0 { throw ValidationError("tolerances must be 0 or more") }
    }

    func run() throws {
        let left = try JSONValue.read(first, as: .resultsFile), right = try JSONValue.read(second, as: .resultsFile)
        let comparison = try ignoring.compare(left, right, leftName: first, rightName: second,
                                              absolute: absolute, relative: relative)
        let differences = comparison.differences
        for note in comparison.notes { Terminal.out(note.noteLine) }
        for difference in differences { Terminal.out(difference.line) }
        if differences.isEmpty {
            Terminal.out("no differences")
        } else {
            Terminal.out("\(differences.count) difference\(differences.count == 1 ? "" : "s") (\(first) vs \(second))")
            throw CommandFailure(.failed)
        }
    }
}
