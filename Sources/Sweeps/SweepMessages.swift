import Diagnostics
import YAMLSource

/// The catalogue of the sweep section's messages (IDs NN7xxx, and NN2102 shared with `--set`).
extension DiagnosticMessage {
    static func sweptThroughAlias(_ path: String, alias: SourceLocation.AliasUse, anchor: SourceLocation) -> Self {
        .init(.writeThroughAlias,
              "'\(path)' is reached through the alias '*\(alias.name)' at \(alias.line):\(alias.column), which repeats the value"
                  + " anchored at \(anchor.line):\(anchor.column); a sweep cannot change one use of an anchored value",
              fix: "sweep the anchored value itself (the path where '&\(alias.name)' is written), or write the value out in full where the alias stands")
    }

    static func sweepNotAMapping(found node: YAMLNode) -> Self {
        .init(.sweepForm, "expected the sweep as a mapping of key paths to lists of values, found \(node.kindDescription)",
              fix: "write e.g. 'sweep: {training.learning_rate: [0.1, 0.5]}'")
    }

    static var sweepKeyNotAPath: Self {
        .init(.sweepKeyPath, "expected a key path such as training.learning_rate", fix: "write keys separated by dots")
    }

    static func unreadableSweepKeyPath(_ path: String) -> Self {
        .init(.sweepKeyPath, "cannot read the key path '\(path)'",
              fix: "write keys separated by dots and list indices in brackets, e.g. model.layers[0].units")
    }

    static var sweepSweepsItself: Self {
        .init(.sweepKeyPath, "a sweep cannot sweep itself", fix: "sweep keys of the spec outside 'sweep:'")
    }

    static func sweepValuesNotAList(found node: YAMLNode) -> Self {
        .init(.sweepForm, "expected a non-empty list of single values, found \(node.kindDescription)",
              fix: "write e.g. [0.1, 0.5, 1.0]")
    }

    static func sweepTargetNotAValue(_ path: String, found node: YAMLNode) -> Self {
        .init(.sweepKeyPath, "'\(path)' is \(node.kindDescription) in the spec; a sweep replaces single values",
              fix: "sweep one value inside it, e.g. '\(path)[0]' or '\(path).KEY'")
    }

    /// A key path the spec does not write; `suggestion` is the path with the first unknown
    /// key replaced by the nearest key the spec writes there (`training.lr` -> `training.learning_rate`).
    static func sweepPathNotWritten(_ path: String, stopsAt written: String, suggesting suggestion: String?) -> Self {
        .init(.sweepKeyPath, "the spec does not write '\(path)' (it stops at '\(written)')", suggesting: suggestion,
              fix: suggestion == nil ? "write the key in the spec with its default value, then sweep it" : "write '\(suggestion ?? "")'")
    }

    static func sweptTwice(_ path: String) -> Self {
        .init(.sweptTwice, "'\(path)' is swept twice", fix: "list all its values under one key")
    }

    static func sweepTooLarge(runs: Int, limit: Int) -> Self {
        .init(.sweepTooLarge, "the sweep expands to \(runs) runs; at most \(limit) are allowed", fix: "sweep fewer values")
    }
}
