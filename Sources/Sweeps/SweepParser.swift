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
            return (nil, [Diagnostic(at: section.location, path: path,
                                     message: "expected the sweep as a mapping of key paths to lists of values, found \(section.kindDescription)",
                                     fix: "write e.g. 'sweep: {training.learning_rate: [0.1, 0.5]}'")])
        }
        var diagnostics: [Diagnostic] = []
        var axes: [Sweep.Axis] = []
        for entry in entries {
            guard let keyPath = Sweep.key(entry.key) else {
                diagnostics.append(Diagnostic(at: entry.key.location, path: path, message: "expected a key path such as training.learning_rate"))
                continue
            }
            let axisPath = path / keyPath
            guard let components = SpecPath(keyPath) else {
                diagnostics.append(Diagnostic(at: entry.key.location, length: keyPath.count, path: axisPath,
                                              message: "cannot read the key path '\(keyPath)'",
                                              fix: "write keys separated by dots and list indices in brackets, e.g. model.layers[0].units"))
                continue
            }
            if components.keys.first == "sweep" {
                diagnostics.append(Diagnostic(at: entry.key.location, path: axisPath, message: "a sweep cannot sweep itself"))
                continue
            }
            guard case .sequence(let values) = entry.value.content, !values.isEmpty,
                  values.allSatisfy({ if case .scalar = $0.content { return true } else { return false } })
            else {
                diagnostics.append(Diagnostic(at: entry.value.location, path: axisPath,
                                              message: "expected a non-empty list of single values, found \(entry.value.kindDescription)",
                                              fix: "write e.g. [0.1, 0.5, 1.0]"))
                continue
            }
            switch components.find(in: root) {
            case .found(let node):
                guard case .scalar = node.content, node.length >= 1 else {
                    diagnostics.append(Diagnostic(at: entry.key.location, length: keyPath.count, path: axisPath,
                                                  message: "'\(keyPath)' is \(node.kindDescription) in the spec; a sweep replaces single values"))
                    continue
                }
                axes.append(.init(path: keyPath, name: components.shortName, values: values, location: entry.key.location, target: node))
            case .missingTopLevelKey:
                axes.append(.init(path: keyPath, name: components.shortName, values: values, location: entry.key.location, target: nil))
            case .missing(let written):
                diagnostics.append(Diagnostic(at: entry.key.location, length: keyPath.count, path: axisPath,
                                              message: "the spec does not write '\(keyPath)' (it stops at '\(written)')",
                                              fix: "write the key in the spec with its default value, then sweep it"))
            }
        }
        // Short names must tell the axes apart; fall back to the whole path where they don't.
        for index in axes.indices where axes.filter({ $0.name == axes[index].name }).count > 1 {
            axes[index].name = axes[index].path
        }
        var paths = Set<String>()
        for axis in axes where !paths.insert(axis.path).inserted {
            diagnostics.append(Diagnostic(at: axis.location, path: path / axis.path, message: "'\(axis.path)' is swept twice"))
        }
        // The section's lines: from its key to the line before the next top-level key.
        let sweepKeyLine = top.first { Sweep.key($0.key) == "sweep" }?.key.location.line ?? 1
        let nextLine = top.map(\.key.location.line).filter { $0 > sweepKeyLine }.min()
        let sweep = Sweep(axes: axes, sectionLines: sweepKeyLine...(nextLine.map { $0 - 1 } ?? Int.max))
        if diagnostics.isEmpty, sweep.count > maxRuns {
            diagnostics.append(Diagnostic(at: section.location, path: path,
                                          message: "the sweep expands to \(sweep.count) runs; at most \(maxRuns) are allowed"))
        }
        return diagnostics.isEmpty ? (sweep, []) : (nil, diagnostics)
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
        case missing(String)
    }

    func find(in root: YAMLNode) -> Lookup {
        var node = root
        var walked = ""
        for (position, step) in steps.enumerated() {
            switch (step, node.content) {
            case (.key(let key), .mapping(let pairs)):
                guard let next = pairs.first(where: { Sweep.key($0.key) == key })?.value else {
                    return position == 0 && steps.count == 1 ? .missingTopLevelKey : .missing(walked.isEmpty ? "(top level)" : walked)
                }
                node = next
                walked += (walked.isEmpty ? "" : ".") + key
            case (.index(let index), .sequence(let items)):
                guard index < items.count else { return .missing(walked) }
                node = items[index]
                walked += "[\(index)]"
            default:
                return .missing(walked.isEmpty ? "(top level)" : walked)
            }
        }
        return .found(node)
    }
}
