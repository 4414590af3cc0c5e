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
        public var values: [Choice]
        /// The run's spec text.
        public var text: String
        /// Where each substituted value came from, by the line it lands on in `text`.
        public var sources: [ValueSource]
    }

    /// One axis's value in a run: `learning_rate` and `0.5`.
    public struct Choice: Sendable, Equatable {
        /// The axis's short name (`Axis.name`).
        public var axis: String
        /// The value as written in the sweep.
        public var value: String

        public init(axis: String, value: String) {
            self.axis = axis
            self.value = value
        }
    }

    /// A line of a run's spec that holds a swept value, and where the sweep wrote that value.
    public struct ValueSource: Sendable {
        public var line: Int
        public var location: SourceLocation
    }

    public var axes: [Axis]
    /// The lines of the `sweep:` section (1-based), left out of every run's spec.
    public var sectionLines: ClosedRange<Int>

    /// The number of runs: the product of the axes' lengths.
    public var count: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// Runs, in expansion order.
    public func runs(source: String) -> [Run] {
        let lines = SpecText.lines(of: source)
        // Replace right to left on each line so earlier columns stay valid.
        let order = axes.indices.sorted {
            let a = axes[$0].target?.location ?? SourceLocation(line: Int.max, column: 0)
            let b = axes[$1].target?.location ?? SourceLocation(line: Int.max, column: 0)
            return a > b
        }
        return (0..<count).map { run($0, lines: lines, substitutionOrder: order) }
    }

    /// The value index of each axis in run `index`: the first axis varies slowest.
    private func valueIndices(ofRun index: Int) -> [Int] {
        var rest = index
        var choice = [Int](repeating: 0, count: axes.count)
        for a in axes.indices.reversed() {
            choice[a] = rest % axes[a].values.count
            rest /= axes[a].values.count
        }
        return choice
    }

    /// Run `index`: its values written into the spec's lines (axes in `substitutionOrder`),
    /// the sweep section left out, and the values of unwritten top-level keys appended.
    private func run(_ index: Int, lines: [String], substitutionOrder: [Int]) -> Run {
        let choice = valueIndices(ofRun: index)
        var edited = lines
        var appended: [String] = []
        var sources: [ValueSource] = []
        var values: [Choice] = []
        for a in substitutionOrder {
            let axis = axes[a]
            let value = axis.values[choice[a]]
            let text = Sweep.text(of: value)
            values.append(Choice(axis: axis.name, value: text))
            if let target = axis.target {
                SpecText.write(text, over: target, in: &edited)
                sources.append(ValueSource(line: target.location.line, location: value.location))
            } else {
                appended.append("\(axis.path): \(text)")
            }
        }
        values.sort { a, b in
            (axes.firstIndex { $0.name == a.axis } ?? 0) < (axes.firstIndex { $0.name == b.axis } ?? 0)
        }
        // Leave the sweep section out; values below it move up by its length.
        let removed = sectionLines.clamped(to: 1...max(1, edited.count))
        edited.removeSubrange((removed.lowerBound - 1)..<removed.upperBound)
        sources = sources.map { $0.line > removed.upperBound ? ValueSource(line: $0.line - removed.count, location: $0.location) : $0 }
        while edited.count > 1, edited[edited.count - 1].isEmpty, edited[edited.count - 2].isEmpty { edited.removeLast() }
        var text = edited.joined(separator: "\n")
        if !appended.isEmpty {
            if !text.hasSuffix("\n") { text += "\n" }
            for line in appended {
                text += line + "\n"
                sources.append(ValueSource(line: text.split(separator: "\n", omittingEmptySubsequences: false).count - 1,
                                           location: axes.first { $0.path == line.split(separator: ":")[0].description }?.location
                                               ?? .startOfFile))
            }
        }
        return Run(index: index, id: values.map { "\($0.axis)=\($0.value)" }.joined(separator: ","),
                   values: values, text: text, sources: sources)
    }

    /// A scalar as it is written in YAML (quoted again if it was quoted).
    static func text(of node: YAMLNode) -> String {
        guard case .scalar(let scalar) = node.content else { return "" }
        if scalar.isPlain { return scalar.text }
        let escaped = scalar.text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }
}
