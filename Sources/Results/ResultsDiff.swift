import Foundation

/// Element-by-element comparison of two results files.
///
/// Numbers differ when |a - b| exceeds both the absolute tolerance and the relative one
/// times max(|a|, |b|) (both 0 by default: any difference counts). Integers and
/// Float64s compare as numbers. `timing` (added by --timing) is always left out, and so is
/// every path in `ignored`; with `commonSectionsOnly`, so is every top-level member only one
/// file has (a results file written by a compiled PyTorch script has no `trace`, `checks`
/// or `math_version`), each named in a note. `spec.path` is where the spec was read from, not what it is
/// (its identity is `spec.sha256`): a different path is a note, not a difference.
public struct ResultsDiff: Sendable {
    public struct Difference: Sendable, Equatable {
        /// Where, as `final.layers[1].weights[0][1]`.
        public var path: String
        public var left: String
        public var right: String
        /// |a - b| for two numbers, nil otherwise.
        public var difference: Double?
        /// For a note: why it is not a difference.
        public var reason: String?

        public var line: String {
            "\(path): \(left) vs \(right)" + (difference.map { " (difference \($0))" } ?? "")
        }

        /// `note: spec.path: "a.yaml" vs "b/a.yaml" (why)`.
        public var noteLine: String {
            "note: \(line)" + (reason.map { " (\($0))" } ?? "")
        }
    }

    public struct Comparison: Sendable, Equatable {
        /// Beyond the tolerances: the files differ.
        public var differences: [Difference] = []
        /// Reported, but no difference between the runs: a different `spec.path`.
        public var notes: [Difference] = []
        /// Paths of `ignored` that name nothing in either file (a misspelling, most likely).
        public var unmatchedIgnored: [String] = []
    }

    public enum Refusal: Error, CustomStringConvertible {
        case notResults(String)
        case formatMismatch(String, String)

        public var description: String {
            switch self {
            case .notResults(let which):
                return "\(which) is not an nnrun results file (no \"format\": \"\(ResultsFile.format)\")"
            case .formatMismatch(let left, let right):
                return "the files have different formats ('\(left)' and '\(right)'); this nnrun compares \(ResultsFile.format) files only"
            }
        }
    }

    /// Left out of every comparison: the training time differs between any two runs.
    public static let alwaysIgnored = "timing"
    /// Compared, but a difference there is a note, for the reason given: the same spec may
    /// be read from anywhere.
    public static let notedPaths: [String: String] = [
        "spec.path": "where the spec was read from; spec.sha256 identifies the spec",
    ]

    public var absolute: Double
    public var relative: Double
    /// Paths left out of the comparison, each with everything inside it: `spec.path`,
    /// `trace`, `final.layers[0].weights`.
    public var ignored: [String]
    /// Top-level members that only one file has are left out (with a note), not differences.
    public var commonSectionsOnly: Bool

    public init(absolute: Double = 0, relative: Double = 0, ignoring ignored: [String] = [],
                commonSectionsOnly: Bool = false) {
        self.absolute = absolute
        self.relative = relative
        self.ignored = ignored
        self.commonSectionsOnly = commonSectionsOnly
    }

    /// The reason given in the note on a top-level member only one file has.
    public static let onlyInOneFile = "only in one file; --common-sections compares the members both files have"

    /// Whether `text` is a path as the differences name them: keys (letters, digits, `_`)
    /// joined by dots, each with any number of `[index]`.
    public static func isPath(_ text: String) -> Bool {
        text.range(of: #"^[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])*(\.[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])*)*$"#,
                   options: .regularExpression) != nil
    }

    /// The comparison, or a refusal when either side is not a results file of this format.
    public func compare(_ left: JSONValue, _ right: JSONValue, leftName: String = "the first file",
                        rightName: String = "the second file") throws(Refusal) -> Comparison {
        guard case .string(let leftFormat)? = left["format"] else { throw .notResults(leftName) }
        guard case .string(let rightFormat)? = right["format"] else { throw .notResults(rightName) }
        guard leftFormat == ResultsFile.format, rightFormat == ResultsFile.format else {
            throw .formatMismatch(leftFormat, rightFormat)
        }
        var comparison = Comparison()
        var matched = Set<String>()
        walk(left, right, path: "", into: &comparison, matched: &matched)
        comparison.unmatchedIgnored = ignored.filter { !matched.contains($0) }
        return comparison
    }

    /// The entries of `ignored` that cover `path`: the path itself or a path inside it.
    private func ignoring(_ path: String) -> [String] {
        (ignored + [Self.alwaysIgnored]).filter { path == $0 || path.hasPrefix($0 + ".") || path.hasPrefix($0 + "[") }
    }

    private func walk(_ a: JSONValue, _ b: JSONValue, path: String, into comparison: inout Comparison,
                      matched: inout Set<String>) {
        /// Whether `path` is left out (noting which entries of `ignored` named it).
        func skips(_ path: String) -> Bool {
            let covering = ignoring(path)
            matched.formUnion(covering)
            return !covering.isEmpty
        }
        func record(_ difference: Difference) {
            if let reason = Self.notedPaths[difference.path] {
                var note = difference
                note.reason = reason
                comparison.notes.append(note)
            } else {
                comparison.differences.append(difference)
            }
        }
        if skips(path) { return }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            let keys = (x.map(\.0) + y.map(\.0).filter { key in !x.contains { $0.0 == key } })
            for key in keys {
                let child = path.isEmpty ? key : path + "." + key
                switch (a[key], b[key]) {
                case (let left?, let right?):
                    walk(left, right, path: child, into: &comparison, matched: &matched)
                case (let left?, nil) where path.isEmpty && commonSectionsOnly:
                    if !skips(child) {
                        comparison.notes.append(.init(path: child, left: Self.text(left), right: "(missing)",
                                                      difference: nil, reason: Self.onlyInOneFile))
                    }
                case (nil, let right?) where path.isEmpty && commonSectionsOnly:
                    if !skips(child) {
                        comparison.notes.append(.init(path: child, left: "(missing)", right: Self.text(right),
                                                      difference: nil, reason: Self.onlyInOneFile))
                    }
                case (let left?, nil):
                    if !skips(child) { record(.init(path: child, left: Self.text(left), right: "(missing)", difference: nil)) }
                case (nil, let right?):
                    if !skips(child) { record(.init(path: child, left: "(missing)", right: Self.text(right), difference: nil)) }
                case (nil, nil): break
                }
            }
        case (.array(let x), .array(let y)):
            if x.count != y.count {
                record(.init(path: path, left: "\(x.count) items", right: "\(y.count) items", difference: nil))
                return
            }
            for (index, pair) in zip(x, y).enumerated() {
                walk(pair.0, pair.1, path: path + "[\(index)]", into: &comparison, matched: &matched)
            }
        default:
            if let p = Self.number(a), let q = Self.number(b) {
                let difference = abs(p - q)
                let bothNaN = p.isNaN && q.isNaN
                if !bothNaN && !(difference <= absolute || difference <= relative * max(abs(p), abs(q))) {
                    record(.init(path: path, left: Self.text(a), right: Self.text(b), difference: difference))
                }
            } else if a != b {
                record(.init(path: path, left: Self.text(a), right: Self.text(b), difference: nil))
            }
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number): return number
        case .integer(let integer): return Double(integer)
        default: return nil
        }
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .object: return "an object"
        case .array(let items): return "a list of \(items.count)"
        default: return value.serialized().trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
