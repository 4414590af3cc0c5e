import Foundation
import Sweeps

extension TestSpecs {
    /// `text` with values set at key paths, through the mechanism sweeps (and `--set`) use:
    ///
    ///     try TestSpecs.derived(from: spec, setting: ["training.learning_rate": "0.2", "training.steps": "3"])
    ///
    /// Values are YAML, written in place (`"[0.6, 0.6]"` for a list). Throws, naming the
    /// path and the nearest key the spec writes, when the spec does not write a path, so a
    /// test cannot silently run its base spec after the base's text changes.
    public static func derived(from text: String, setting values: KeyValuePairs<String, String>) throws -> String {
        try SpecOverride.apply(values.map { SpecOverride(path: $0.key, value: $0.value) }, to: text)
    }
}

/// A text edit a test makes that is not a key's value (inserting a key or a comment,
/// breaking the syntax on purpose, replacing a section) and that must find its text.
public struct TextEditFailure: Error, CustomStringConvertible {
    public var target: String
    public var occurrences: Int

    public var description: String {
        "expected '\(target)' exactly once in the text, found it \(occurrences) time\(occurrences == 1 ? "" : "s")"
    }
}

extension String {
    /// The text with `target` replaced by `replacement`; throws unless `target` occurs
    /// exactly once, so an edit cannot silently do nothing (or more than meant).
    public func replacing(exactlyOnce target: String, with replacement: String) throws -> String {
        let parts = components(separatedBy: target)
        guard parts.count == 2 else { throw TextEditFailure(target: target, occurrences: parts.count - 1) }
        return parts[0] + replacement + parts[1]
    }
}
