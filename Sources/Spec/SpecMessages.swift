import Diagnostics
import YAMLSource

/// Message texts shared by decoding and validation, so the same situation is always
/// worded the same way.
public enum SpecMessages {
    /// "expected a number, found the quoted string \"0.5\""
    public static func expected(_ expected: String, found node: YAMLNode) -> String {
        "expected \(expected), found \(node.kindDescription)"
    }

    /// "1 item" / "3 items"
    public static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// A number as the spec wrote it: "1e-400 (0 as a 64-bit float)", "-1.7976931348623157e308",
    /// where the Float64 would print as 0.0 and -1.7976931348623157e+308. A number written
    /// with a nonzero digit that rounds to zero says so, or "found 1e-400" would read as fine
    /// where a positive number is expected.
    public static func number(_ number: Located<Double>) -> String {
        guard let written = number.written else { return "\(number.value)" }
        let mantissa = written.prefix { $0 != "e" && $0 != "E" }
        if number.value == 0, mantissa.contains(where: { $0.isASCIIDigit && $0 != "0" }) {
            return "\(written) (0 as a 64-bit float)"
        }
        return written
    }
}

/// The catalogue of the decoding phase's messages (IDs NN2xxx): keys and the types of values.
extension DiagnosticMessage {
    /// "expected a list of layers, found a mapping"
    static func wrongType(_ expected: String, found node: YAMLNode, fix: String? = nil) -> Self {
        .init(.wrongType, SpecMessages.expected(expected, found: node), fix: fix)
    }

    /// A number or whole number written as something else: `"0.5"`, `0x10`, `.5`, `1.5` for a count.
    static func invalidNumber(_ expected: String, found node: YAMLNode, fix: String?) -> Self {
        .init(.invalidNumber, SpecMessages.expected(expected, found: node), fix: fix)
    }

    static func numberOverflows(_ written: String) -> Self {
        let overflow = written.hasPrefix("-")
            ? "too large in magnitude for a 64-bit float (it overflows to -infinity)"
            : "too large for a 64-bit float (it overflows to infinity)"
        return .init(.numberOutOfRange, "the number \(written) is \(overflow)",
                     fix: "write a number whose magnitude is below 1.8e308")
    }

    static func wholeNumberOutOfRange(_ written: String) -> Self {
        let bound = written.hasPrefix("-") ? "at least \(Int.min)" : "at most \(Int.max)"
        return .init(.numberOutOfRange, "the whole number \(written) is out of range (\(bound))")
    }

    static func invalidBoolean(found node: YAMLNode, meant: Bool?) -> Self {
        .init(.invalidBoolean, SpecMessages.expected("true or false", found: node),
              fix: meant.map { "write \($0)" } ?? "write true or false")
    }

    static func unknownKey(_ key: String, in what: String, suggesting suggestion: String?, validKeys: [String]) -> Self {
        .init(.unknownKey, "unknown key '\(key)' in \(what)", suggesting: suggestion,
              fix: "valid keys here: \(Suggestion.list(validKeys))")
    }

    /// A key written in the wrong section: `loss:` at the top level belongs under `training:`.
    /// `canonical` is the spec's word when `key` is an alias (`lr` for `learning_rate`).
    static func misplacedKey(_ key: String, canonical: String, in what: String, belongsUnder home: String) -> Self {
        let written = key == canonical ? "'\(key)'" : "'\(key)' ('\(canonical)')"
        let place = home.contains(" ") ? home : "\(home):"
        // Settings of an optimizer need its mapping form: `optimizer: {name: sgd, momentum: 0.9}`.
        let fix = home == "training.optimizer" ? "write the optimizer as a mapping in training: 'optimizer: {name: sgd, \(canonical): ...}'"
            : "move '\(canonical): ...' under \(place)"
        return .init(.misplacedKey, "\(written) is not a key of \(what); it belongs under \(place)", fix: fix)
    }

    static func duplicateKey(_ key: String, firstLine: Int) -> Self {
        .init(.duplicateKey, "duplicate key '\(key)' (first defined at line \(firstLine))", fix: "keep one of the two")
    }

    static func keyNotAName(found node: YAMLNode, validKeys: [String]) -> Self {
        .init(.invalidKey, "keys must be plain names, found \(node.kindDescription) used as a key",
              fix: "use one of \(Suggestion.list(validKeys))")
    }

    static func emptyKey(isPlain: Bool, validKeys: [String]) -> Self {
        let found = isPlain ? "nothing (an empty key)" : "the empty string \"\" used as a key"
        return .init(.invalidKey, "expected a key name, found \(found)", fix: "valid keys here: \(Suggestion.list(validKeys))")
    }

    static var csvAndNpy: Self {
        .init(.csvAndNpy, "a data source reads either a CSV file ('csv') or .npy files ('npy'), not both",
              fix: "keep one of the two")
    }

    static var toleranceBothBounds: Self {
        .init(.toleranceForm, "give one of 'abs' and 'rel', not both", fix: "write {abs: 1e-9} or {rel: 1e-6}")
    }

    static var toleranceEmpty: Self {
        .init(.toleranceForm, "expected {abs: X} or {rel: Y}, found an empty mapping", fix: "write {abs: 1e-9} or {rel: 1e-6}")
    }
}
