import Foundation
import Diagnostics
import YAMLSource

/// A `sweep:` section: a grid over scalar key paths of the spec.
///
///     sweep:
///       training.learning_rate: [0.1, 0.5, 1.0]
///       training.update: [deferred, immediate]
///
/// expands to every combination, the first axis varying slowest (like nested loops in
/// the order written). Each run is the spec's own text with the swept values written in
/// place and the `sweep:` section removed, so a run's spec can be kept, read and run alone.
public struct Sweep: Sendable {
    public struct Axis: Sendable {
        /// As written: `training.learning_rate`, `model.layers[0].units`.
        public var path: String
        /// The short name in run ids: the last key (`learning_rate`), or the whole path
        /// when two axes would share it.
        public var name: String
        public var values: [YAMLNode]
        public var location: SourceLocation
        /// The node the values replace, or nil for a top-level key the spec does not write.
        var target: YAMLNode?
    }

    public struct Run: Sendable {
        /// Position in the expansion order (0-based): what `--shard I/N` divides.
        public var index: Int
        /// `learning_rate=0.5,update=immediate`.
        public var id: String
        /// The swept values, axis by axis, as written.
        public var values: [(name: String, value: String)]
        /// The run's spec text.
        public var text: String
        /// Where each substituted value came from, by the line it lands on in `text`.
        public var sources: [(line: Int, location: SourceLocation)]
    }

    public var axes: [Axis]
    /// The lines of the `sweep:` section (1-based), left out of every run's spec.
    public var sectionLines: ClosedRange<Int>

    /// The number of runs: the product of the axes' lengths.
    public var count: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// Runs, in expansion order.
    public func runs(source: String) -> [Run] {
        var result: [Run] = []
        let lines = SpecText.lines(of: source)
        for index in 0..<count {
            var rest = index
            var choice = [Int](repeating: 0, count: axes.count)
            for a in axes.indices.reversed() {
                choice[a] = rest % axes[a].values.count
                rest /= axes[a].values.count
            }
            var edited = lines
            var appended: [String] = []
            var sources: [(Int, SourceLocation)] = []
            var values: [(String, String)] = []
            // Replace right to left on each line so earlier columns stay valid.
            let order = axes.indices.sorted {
                let a = axes[$0].target?.location ?? SourceLocation(line: Int.max, column: 0)
                let b = axes[$1].target?.location ?? SourceLocation(line: Int.max, column: 0)
                return a > b
            }
            for a in order {
                let axis = axes[a]
                let value = axis.values[choice[a]]
                let text = Sweep.text(of: value)
                values.append((axis.name, text))
                if let target = axis.target {
                    SpecText.write(text, over: target, in: &edited)
                    sources.append((target.location.line, value.location))
                } else {
                    appended.append("\(axis.path): \(text)")
                }
            }
            values.sort { a, b in
                (axes.firstIndex { $0.name == a.0 } ?? 0) < (axes.firstIndex { $0.name == b.0 } ?? 0)
            }
            // Leave the sweep section out; values below it move up by its length.
            let removed = sectionLines.clamped(to: 1...max(1, edited.count))
            edited.removeSubrange((removed.lowerBound - 1)..<removed.upperBound)
            sources = sources.map { $0.0 > removed.upperBound ? ($0.0 - removed.count, $0.1) : $0 }
            while edited.count > 1, edited[edited.count - 1].isEmpty, edited[edited.count - 2].isEmpty { edited.removeLast() }
            var text = edited.joined(separator: "\n")
            if !appended.isEmpty {
                if !text.hasSuffix("\n") { text += "\n" }
                for line in appended {
                    text += line + "\n"
                    sources.append((text.split(separator: "\n", omittingEmptySubsequences: false).count - 1,
                                    axes.first { $0.path == line.split(separator: ":")[0].description }?.location ?? .startOfFile))
                }
            }
            result.append(Run(index: index, id: values.map { "\($0.0)=\($0.1)" }.joined(separator: ","),
                              values: values, text: text, sources: sources))
        }
        return result
    }

    /// A scalar as it is written in YAML (quoted again if it was quoted).
    static func text(of node: YAMLNode) -> String {
        guard case .scalar(let scalar) = node.content else { return "" }
        if scalar.isPlain { return scalar.text }
        let escaped = scalar.text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }
}
