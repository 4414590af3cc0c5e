import ArgumentParser
import Results

/// `--ignore PATH` (repeatable), for `diff` and `check --golden`: members of the results
/// files left out of the comparison, each with everything inside it.
struct IgnoredPaths: ParsableArguments {
    @Option(name: .customLong("ignore"),
            help: ArgumentHelp("Leave out this member and everything in it, named as the differences name it: spec.path, trace, final.layers[0].weights (repeatable; timing is always left out).",
                               valueName: "path"))
    var paths: [String] = []

    @Flag(name: .customLong("common-sections"),
          help: "Compare only the top-level members both files have (e.g. a compiled PyTorch script's results, which have no trace, checks or math_version); the others are named in notes.")
    var commonSectionsOnly = false

    func validate() throws {
        for path in paths where !ResultsDiff.isPath(path) {
            throw ValidationError("--ignore: cannot read the path '\(path)'; name a member as the differences do, e.g. spec.path, trace or final.layers[0].weights")
        }
    }

    /// The two results files compared, these paths left out; the files' formats must match.
    func compare(_ left: JSONValue, _ right: JSONValue, leftName: String, rightName: String,
                 absolute: Double, relative: Double) throws(CommandFailure) -> ResultsDiff.Comparison {
        do {
            let comparison = try ResultsDiff(absolute: absolute, relative: relative, ignoring: paths,
                                             commonSectionsOnly: commonSectionsOnly)
                .compare(left, right, leftName: leftName, rightName: rightName)
            warnAboutUnmatched(comparison)
            return comparison
        } catch {
            throw CommandFailure(.invalidSpec, "error: \(error)")
        }
    }

    /// A warning on standard error for each path that named nothing in either file.
    private func warnAboutUnmatched(_ comparison: ResultsDiff.Comparison) {
        for path in comparison.unmatchedIgnored {
            Terminal.error("warning: --ignore \(path): neither file has it")
        }
    }
}
