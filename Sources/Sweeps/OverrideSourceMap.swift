import Diagnostics
import YAMLSource

/// Where each place of a spec's text after `--set` overrides came from: a line of the
/// spec as read, or an override. A value an override wrote (or a line it added) maps to
/// that override, `--set PATH=VALUE`, at the value's column there; every other place maps
/// to its line and column in the spec as read, so diagnostics show the text the user wrote.
public struct OverrideSourceMap: Sendable {
    /// A value written on a line: `length` characters from `column` of the edited line,
    /// `delta` characters longer than the spec's text it replaced (after any earlier writes).
    struct Write: Sendable {
        var column: Int
        var length: Int
        var delta: Int
        var override: SpecOverride
    }

    struct Line: Sendable {
        /// The line in the spec as read (1-based); nil for a line an override added.
        var original: Int?
        var writes: [Write] = []
    }

    /// The edited text's lines, in order.
    var lines: [Line]

    init(lineCount: Int) {
        lines = (1...max(1, lineCount)).map { Line(original: $0) }
    }

    mutating func replaced(line: Int, column: Int, oldLength: Int, newLength: Int, by override: SpecOverride) {
        guard lines.indices.contains(line - 1) else { return }
        var entry = lines[line - 1]
        // A write over an earlier one (the same path set twice) takes its place; its delta
        // is then counted from the spec's own text.
        let covered = entry.writes.filter { $0.column < column + oldLength && column < $0.column + $0.length }
        let originalLength = oldLength - covered.reduce(0) { $0 + $1.delta }
        entry.writes.removeAll { $0.column < column + oldLength && column < $0.column + $0.length }
        for index in entry.writes.indices where entry.writes[index].column >= column + oldLength {
            entry.writes[index].column += newLength - oldLength
        }
        entry.writes.append(Write(column: column, length: newLength, delta: newLength - originalLength, override: override))
        lines[line - 1] = entry
    }

    mutating func added(line: Int, valueColumn: Int, length: Int, by override: SpecOverride) {
        let index = min(max(0, line - 1), lines.count)
        lines.insert(Line(original: nil, writes: [Write(column: valueColumn, length: length, delta: 0, override: override)]), at: index)
    }

    /// Where a location in the edited text came from.
    public func location(_ edited: SourceLocation) -> SourceLocation {
        guard edited.origin == nil, lines.indices.contains(edited.line - 1) else { return edited }
        let line = lines[edited.line - 1]
        var mapped: SourceLocation
        if let write = line.writes.first(where: { $0.column <= edited.column && edited.column < $0.column + $0.length }) {
            mapped = SourceLocation(line: 1, column: write.override.valueColumn + edited.column - write.column,
                                    origin: .override(write.override.argument))
        } else if let original = line.original {
            let shift = line.writes.filter { $0.column + $0.length <= edited.column }.reduce(0) { $0 + $1.delta }
            mapped = SourceLocation(line: original, column: edited.column - shift)
        } else if let write = line.writes.first {
            // The key of an added line: the path in the override.
            mapped = SourceLocation(line: 1, column: "--set ".count + 1, origin: .override(write.override.argument))
        } else {
            return edited
        }
        if let alias = edited.alias {
            // An alias is never in an override's value (overrides through aliases are refused,
            // and a value with one does not load alone): it maps to the spec's own text.
            let use = location(SourceLocation(line: alias.line, column: alias.column))
            mapped.alias = SourceLocation.AliasUse(name: alias.name, line: use.line, column: use.column)
        }
        return mapped
    }

    /// The node with every location in it mapped back.
    public func relocated(_ node: YAMLNode) -> YAMLNode {
        var copy = node
        copy.location = location(node.location)
        switch node.content {
        case .scalar:
            break
        case .sequence(let items):
            copy.content = .sequence(items.map(relocated))
        case .mapping(let pairs):
            copy.content = .mapping(pairs.map { .init(key: relocated($0.key), value: relocated($0.value)) })
        }
        return copy
    }
}
