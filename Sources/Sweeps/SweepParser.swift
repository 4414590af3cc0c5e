import Diagnostics
import YAMLSource

/// Reads the `sweep:` section of a spec's node tree: every key a path to a scalar of
/// the spec, every value a non-empty list of scalars. Problems are diagnostics with
/// locations, like any other spec key's.
public enum SweepParser {
    /// More runs than this are refused: a sweep is written by hand, not generated.
    public static let maxRuns = 10_000

    /// The sweep, or nil when the spec has none; diagnostics for a malformed one.
    public static func parse(_ root: YAMLNode) -> (sweep: Sweep?, diagnostics: [Diagnostic]) {
        guard case .mapping(let top) = root.content,
              let section = top.first(where: { Sweep.key($0.key) == "sweep" })?.value
        else { return (nil, []) }
        let path = KeyPath.root / "sweep"
        guard case .mapping(let entries) = section.content, !entries.isEmpty else {
            return (nil, [Diagnostic(.sweepNotAMapping(found: section), at: section.location, path: path)])
        }
        var diagnostics: [Diagnostic] = []
        var axes: [Sweep.Axis] = []
        for entry in entries {
            switch axis(entry, of: root, at: path) {
            case .success(let axis): axes.append(axis)
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        // Short names must tell the axes apart; fall back to the whole path where they don't.
        for index in axes.indices where axes.filter({ $0.name == axes[index].name }).count > 1 {
            axes[index].name = axes[index].path
        }
        var paths = Set<String>()
        for axis in axes where !paths.insert(axis.path).inserted {
            diagnostics.append(Diagnostic(.sweptTwice(axis.path), at: axis.location, path: path / axis.path))
        }
        let sweep = Sweep(axes: axes, sectionLines: sectionLines(of: top))
        if diagnostics.isEmpty, sweep.count > maxRuns {
            diagnostics.append(Diagnostic(.sweepTooLarge(runs: sweep.count, limit: maxRuns), at: section.location, path: path))
        }
        return diagnostics.isEmpty ? (sweep, []) : (nil, diagnostics)
    }

    /// One entry of the section as an axis: its key a path to a scalar the spec writes (or
    /// a top-level key it does not), its value a non-empty list of scalars.
    private static func axis(_ entry: YAMLNode.Pair, of root: YAMLNode,
                             at path: KeyPath) -> Result<Sweep.Axis, Diagnostic> {
        guard let keyPath = Sweep.key(entry.key) else {
            return .failure(Diagnostic(.sweepKeyNotAPath, at: entry.key.location, path: path))
        }
        let axisPath = path / keyPath
        guard let components = SpecPath(keyPath) else {
            return .failure(Diagnostic(.unreadableSweepKeyPath(keyPath), at: entry.key.location, length: keyPath.count,
                                       path: axisPath))
        }
        if components.keys.first == "sweep" {
            return .failure(Diagnostic(.sweepSweepsItself, at: entry.key.location, path: axisPath))
        }
        guard case .sequence(let values) = entry.value.content, !values.isEmpty,
              values.allSatisfy({ if case .scalar = $0.content { return true } else { return false } })
        else {
            return .failure(Diagnostic(.sweepValuesNotAList(found: entry.value), at: entry.value.location, path: axisPath))
        }
        switch components.find(in: root) {
        case .found(let node):
            // The text there is the anchored value, which every alias of it repeats.
            if let alias = node.location.alias {
                return .failure(Diagnostic(.sweptThroughAlias(keyPath, alias: alias, anchor: node.location.written),
                                           at: entry.key.location, length: keyPath.count, path: axisPath))
            }
            guard case .scalar = node.content, node.length >= 1 else {
                return .failure(Diagnostic(.sweepTargetNotAValue(keyPath, found: node), at: entry.key.location,
                                           length: keyPath.count, path: axisPath))
            }
            return .success(.init(path: keyPath, name: components.shortName, values: values, location: entry.key.location,
                                  target: node))
        case .missingTopLevelKey:
            return .success(.init(path: keyPath, name: components.shortName, values: values, location: entry.key.location,
                                  target: nil))
        case .missing(let written, let suggestion):
            return .failure(Diagnostic(.sweepPathNotWritten(keyPath, stopsAt: written, suggesting: suggestion),
                                       at: entry.key.location, length: keyPath.count, path: axisPath))
        }
    }

    /// The section's lines: from its key to the line before the next top-level key.
    private static func sectionLines(of top: [YAMLNode.Pair]) -> ClosedRange<Int> {
        let sweepKeyLine = top.first { Sweep.key($0.key) == "sweep" }?.key.location.line ?? 1
        let nextLine = top.map(\.key.location.line).filter { $0 > sweepKeyLine }.min()
        return sweepKeyLine...(nextLine.map { $0 - 1 } ?? Int.max)
    }
}

extension Sweep {
    static func key(_ node: YAMLNode) -> String? {
        if case .scalar(let scalar) = node.content { return scalar.text }
        return nil
    }
}

/// `model.layers[0].units`: keys, each with optional list indices.
struct SpecPath {
    enum Step { case key(String), index(Int) }

    var steps: [Step]
    var keys: [String] { steps.compactMap { if case .key(let key) = $0 { return key } else { return nil } } }
    var shortName: String { keys.last ?? "" }

    init(steps: [Step]) { self.steps = steps }

    /// The deepest mapping on the path that `root` writes (a proper prefix of the path), and
    /// the keys of the path below it; nil when a list index lies below it.
    func deepestMapping(in root: YAMLNode) -> (YAMLNode, [String])? {
        for length in stride(from: steps.count - 1, through: 0, by: -1) {
            guard case .found(let node) = SpecPath(steps: Array(steps[..<length])).find(in: root) else { continue }
            guard case .mapping = node.content else { return nil }
            var keys: [String] = []
            for step in steps[length...] {
                guard case .key(let key) = step else { return nil }
                keys.append(key)
            }
            return (node, keys)
        }
        return nil
    }

    init?(_ text: String) {
        var steps: [Step] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let open = rest.firstIndex(of: "[") ?? rest.endIndex
            let key = rest[..<open]
            guard !key.isEmpty else { return nil }
            steps.append(.key(String(key)))
            rest = rest[open...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                      let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0 else { return nil }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        guard !steps.isEmpty else { return nil }
        self.steps = steps
    }

    enum Lookup {
        case found(YAMLNode)
        case missingTopLevelKey
        /// Where the spec stops, and the whole path with the first key it lacks replaced by
        /// the nearest key it writes there (or its alias), when there is one.
        case missing(String, suggestion: String?)
    }

    func find(in root: YAMLNode) -> Lookup {
        var node = root
        var walked = ""
        for (position, step) in steps.enumerated() {
            switch (step, node.content) {
            case (.key(let key), .mapping(let pairs)):
                guard let next = pairs.first(where: { Sweep.key($0.key) == key })?.value else {
                    if position == 0 && steps.count == 1 { return .missingTopLevelKey }
                    let near = KeyAliases.suggestion(for: key, in: pairs.compactMap { Sweep.key($0.key) })
                    return .missing(walked.isEmpty ? "(top level)" : walked, suggestion: near.map { replacing(position, with: $0) })
                }
                node = next
                walked += (walked.isEmpty ? "" : ".") + key
            case (.index(let index), .sequence(let items)):
                guard index < items.count else { return .missing(walked, suggestion: nil) }
                node = items[index]
                walked += "[\(index)]"
            default:
                return .missing(walked.isEmpty ? "(top level)" : walked, suggestion: nil)
            }
        }
        return .found(node)
    }

    /// The path written back with the key at `position` replaced.
    private func replacing(_ position: Int, with key: String) -> String {
        var text = ""
        for (index, step) in steps.enumerated() {
            switch step {
            case .key(let written): text += (text.isEmpty ? "" : ".") + (index == position ? key : written)
            case .index(let number): text += "[\(number)]"
            }
        }
        return text
    }
}
