import Foundation

/// Element-by-element comparison of two results files.
///
/// Numbers differ when |a - b| exceeds both the absolute tolerance and the relative one
/// times max(|a|, |b|) (both 0 by default: any difference counts). Integers and
/// Float64s compare as numbers. `timing` (added by --timing) is ignored.
public struct ResultsDiff: Sendable {
    public struct Difference: Sendable, Equatable {
        /// Where, as `final.layers[1].weights[0][1]`.
        public var path: String
        public var left: String
        public var right: String
        /// |a - b| for two numbers, nil otherwise.
        public var difference: Double?

        public var line: String {
            "\(path): \(left) vs \(right)" + (difference.map { " (difference \($0))" } ?? "")
        }
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

    public var absolute: Double
    public var relative: Double
    /// Top-level members left out of the comparison.
    public var ignored: Set<String> = ["timing"]

    public init(absolute: Double = 0, relative: Double = 0) {
        self.absolute = absolute
        self.relative = relative
    }

    /// The differences, or a refusal when either side is not a results file of this format.
    public func compare(_ left: JSONValue, _ right: JSONValue, leftName: String = "the first file",
                        rightName: String = "the second file") throws(Refusal) -> [Difference] {
        guard case .string(let leftFormat)? = left["format"] else { throw .notResults(leftName) }
        guard case .string(let rightFormat)? = right["format"] else { throw .notResults(rightName) }
        guard leftFormat == ResultsFile.format, rightFormat == ResultsFile.format else {
            throw .formatMismatch(leftFormat, rightFormat)
        }
        var differences: [Difference] = []
        walk(left, right, path: "", top: true, into: &differences)
        return differences
    }

    private func walk(_ a: JSONValue, _ b: JSONValue, path: String, top: Bool = false, into differences: inout [Difference]) {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            let keys = (x.map(\.0) + y.map(\.0).filter { key in !x.contains { $0.0 == key } })
            for key in keys where !(top && ignored.contains(key)) {
                let child = path.isEmpty ? key : path + "." + key
                switch (a[key], b[key]) {
                case (let left?, let right?): walk(left, right, path: child, into: &differences)
                case (let left?, nil): differences.append(.init(path: child, left: Self.text(left), right: "(missing)", difference: nil))
                case (nil, let right?): differences.append(.init(path: child, left: "(missing)", right: Self.text(right), difference: nil))
                case (nil, nil): break
                }
            }
        case (.array(let x), .array(let y)):
            if x.count != y.count {
                differences.append(.init(path: path, left: "\(x.count) items", right: "\(y.count) items", difference: nil))
                return
            }
            for (index, pair) in zip(x, y).enumerated() { walk(pair.0, pair.1, path: path + "[\(index)]", into: &differences) }
        default:
            if let p = Self.number(a), let q = Self.number(b) {
                let difference = abs(p - q)
                let bothNaN = p.isNaN && q.isNaN
                if !bothNaN && !(difference <= absolute || difference <= relative * max(abs(p), abs(q))) {
                    differences.append(.init(path: path, left: Self.text(a), right: Self.text(b), difference: difference))
                }
            } else if a != b {
                differences.append(.init(path: path, left: Self.text(a), right: Self.text(b), difference: nil))
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
