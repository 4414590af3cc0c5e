import Diagnostics
import YAMLSource

/// One value set at a key path of a spec's text: `training.learning_rate` = `0.1`,
/// `model.layers[0].units` = `16`.
///
/// The mechanism a sweep uses for each axis, for everything else that derives one spec
/// from another (`--set KEY.PATH=VALUE`, the tests' `TestSpecs.derived(from:setting:)`):
/// the path is read as a sweep key path is (`SpecPath`), looked up in the spec's node tree,
/// and the value is written over the text of the node it names, on that node's line, so
/// every other line and column of the spec stays where it was.
///
/// A key the spec does not write is added to the deepest mapping on the path that it
/// writes, when that is written in block style: a line `key: value` (or, for keys below a
/// missing one, `record: {every: 3}`) after one of that mapping's one-line pairs, indented
/// as they are. A misspelled key is then an unknown key, which the decoder refuses; a path
/// that needs a missing list item, or whose mapping is written in brackets, is a failure.
/// A value reached through a YAML alias is not written: the text there is the anchored
/// value, which every alias of it repeats, so the override is a failure that says so.
public struct SpecOverride: Hashable, Sendable, CustomStringConvertible {
    /// As written: `training.learning_rate`, `model.layers[0].units`.
    public var path: String
    /// The new value in YAML syntax, on one line: a scalar (`0.1`, `adam`, `"a b"`) or a
    /// flow collection (`[0.6, 0.6]`, `{fill: 0}`).
    public var value: String

    public init(path: String, value: String) {
        self.path = path
        self.value = value
    }

    /// `PATH=VALUE` as `--set` takes it: the path runs to the first `=`. nil without one.
    public init?(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else { return nil }
        self.init(path: String(argument[..<equals]), value: String(argument[argument.index(after: equals)...]))
    }

    /// `training.learning_rate=0.1`, as `--set` takes it.
    public var description: String { "\(path)=\(value)" }

    /// `--set training.learning_rate=0.1`: how diagnostics name the override.
    public var argument: String { "--set \(self)" }

    /// The column of `argument` where the value starts (1-based).
    var valueColumn: Int { "--set ".count + path.count + 2 }

    /// The spec's text with every override written in place, in order (a later override of
    /// the same path wins).
    public static func apply(_ overrides: [SpecOverride], to source: String) throws(Failure) -> String {
        try edit(source, with: overrides).text
    }

    /// The spec's text with every override written, and where each place of it came from.
    public static func edit(_ source: String, with overrides: [SpecOverride]) throws(Failure) -> Edited {
        var edited = Edited(text: source, map: OverrideSourceMap(lineCount: SpecText.lines(of: source).count))
        for override in overrides {
            let change = try override.change(edited.text)
            edited.text = change.text
            switch change.kind {
            case .replaced(let line, let column, let oldLength):
                edited.map.replaced(line: line, column: column, oldLength: oldLength, newLength: override.value.count, by: override)
            case .added(let line, let column):
                edited.map.added(line: line, valueColumn: column, length: override.value.count, by: override)
            }
        }
        return edited
    }

    /// A spec's text after overrides, with the map back to the text as read.
    public struct Edited: Sendable {
        public var text: String
        public var map: OverrideSourceMap
    }

    /// The spec's text with this value written over the node at `path`.
    public func applied(to source: String) throws(Failure) -> String {
        try change(source).text
    }

    /// What one override does to a text.
    struct Change {
        enum Kind {
            /// The value written over `oldLength` characters at `line`:`column`.
            case replaced(line: Int, column: Int, oldLength: Int)
            /// A line `key: value` inserted as line `line`, the value starting at `column`.
            case added(line: Int, column: Int)
        }
        var text: String
        var kind: Kind
    }

    func change(_ source: String) throws(Failure) -> Change {
        let root = try SpecOverride.load(source, for: self)
        guard let components = SpecPath(path) else { throw Failure(self, .unreadablePath, at: .startOfFile) }
        let wanted = try parsedValue()
        let change: Change
        switch components.find(in: root) {
        case .found(let target):
            change = try replacing(target, in: source)
        case .missingTopLevelKey:
            change = try adding(components, to: root, in: source, missing: "(top level)", suggestion: nil)
        case .missing(let written, let suggestion):
            change = try adding(components, to: root, in: source, missing: written, suggestion: suggestion)
        }
        // Written in place, the value must read back as itself at the same path: `0.1, x`
        // dropped into a flow mapping would add a key instead.
        guard case .success(let reloaded) = YAMLLoader.load(Array(change.text.utf8)),
              case .found(let written) = components.find(in: reloaded), written.sameContent(as: wanted)
        else { throw Failure(self, .valueChangesStructure, at: root.location) }
        return change
    }

    /// The value as YAML, when it is one value on one line.
    private func parsedValue() throws(Failure) -> YAMLNode {
        guard !value.contains(where: \.isNewline), case .success(let wanted) = YAMLLoader.load(Array(value.utf8)),
              SpecOverride.isOneLineValue(wanted, written: value)
        else { throw Failure(self, .valueNotOneLine, at: .startOfFile) }
        return wanted
    }

    private func replacing(_ anchored: YAMLNode, in source: String) throws(Failure) -> Change {
        let target = SpecText.pastAnchor(anchored, in: source)
        if let alias = target.location.alias {
            throw Failure(self, .throughAlias(alias, anchor: target.location.written), at: target.location.shown)
        }
        guard SpecOverride.isReplaceable(target, in: source) else {
            throw Failure(self, .notASingleValue(found: target.kindDescription), at: target.location)
        }
        var lines = SpecText.lines(of: source)
        guard SpecText.write(value, over: target, in: &lines) else {
            throw Failure(self, .notASingleValue(found: target.kindDescription), at: target.location)
        }
        return Change(text: lines.joined(separator: "\n"),
                      kind: .replaced(line: target.location.line, column: target.location.column, oldLength: target.length))
    }

    /// A key the spec does not write, added to its parent mapping when that is written in
    /// block style; `missing` and `suggestion` describe the failure otherwise.
    private func adding(_ components: SpecPath, to root: YAMLNode, in source: String,
                        missing: String, suggestion: String?) throws(Failure) -> Change {
        // Located at the last node of the path the spec writes.
        let stop = SpecPath(missing).flatMap { if case .found(let node) = $0.find(in: root) { node } else { nil } }
        let notWritten = Failure(self, .notWritten(stopsAt: missing, suggestion: suggestion), at: stop?.location ?? root.location)
        // The deepest mapping the spec writes on the path, and the keys below it it lacks.
        guard let (parent, keys) = components.deepestMapping(in: root), case .mapping(let pairs) = parent.content,
              let key = keys.first
        else { throw notWritten }
        // `record: {every: 3}` when the spec writes no record mapping: one line still.
        let nested = keys.dropFirst().reversed().reduce(value) { inner, key in "{\(key): \(inner)}" }
        if let alias = parent.location.alias {
            throw Failure(self, .throughAlias(alias, anchor: parent.location.written), at: parent.location.shown)
        }
        // After a pair whose value is on its key's line: a scalar or a flow collection.
        guard SpecText.character(at: parent.location, in: source) != "{",
              let after = pairs.last(where: { pair in
                  pair.key.location.alias == nil && pair.value.location.alias == nil
                      && pair.value.location.line == pair.key.location.line
                      && SpecOverride.isReplaceable(pair.value, in: source)
              })
        else { throw notWritten }
        let indent = String(repeating: " ", count: after.key.location.column - 1)
        var lines = SpecText.lines(of: source)
        let line = after.key.location.line   // the new line's index, 0-based: just below
        guard line <= lines.count else { throw notWritten }
        // A CR that ends the lines (CRLF files) ends the new one too.
        let lineEnd = lines[line - 1].hasSuffix("\r") ? "\r" : ""
        lines.insert(indent + key + ": " + nested + lineEnd, at: line)
        let valueColumn = indent.count + key.count + 3 + (keys.count - 1) + keys.dropFirst().reduce(0) { $0 + $1.count + 2 }
        return Change(text: lines.joined(separator: "\n"), kind: .added(line: line + 1, column: valueColumn))
    }

    private static func load(_ source: String, for override: SpecOverride) throws(Failure) -> YAMLNode {
        switch YAMLLoader.load(Array(source.utf8)) {
        case .success(let root): return root
        case .failure(let diagnostic): throw Failure(override, .unreadableSpec(diagnostic), at: diagnostic.location)
        }
    }

    /// A scalar, or a flow collection written on one line: text that can be replaced
    /// without moving a line (a block mapping or list spans several).
    private static func isReplaceable(_ node: YAMLNode, in source: String) -> Bool {
        if case .scalar = node.content { return node.length >= 1 }
        return node.length >= 2 && ["[", "{"].contains(SpecText.character(at: node.location, in: source))
    }

    private static func isOneLineValue(_ node: YAMLNode, written: String) -> Bool {
        if case .scalar = node.content { return true }
        return ["[", "{"].contains(written.first { !$0.isWhitespace })
    }
}

extension SpecOverride {
    /// Why an override could not be applied, located in the spec it was applied to.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Reason: Sendable {
            /// The spec itself does not load as YAML.
            case unreadableSpec(Diagnostic)
            /// The path is not keys separated by dots with list indices in brackets.
            case unreadablePath
            /// The spec does not write the path, and it cannot be added (its parent is not
            /// written, is a list, or is a mapping in brackets); `stopsAt` is the longest prefix
            /// it writes, `suggestion` the path with its first unknown key replaced by the nearest one.
            case notWritten(stopsAt: String, suggestion: String?)
            /// The path names a block mapping or list.
            case notASingleValue(found: String)
            /// The value is not one YAML scalar or flow collection on one line.
            case valueNotOneLine
            /// Written in place, the value would read back as something else.
            case valueChangesStructure
            /// The path reaches the value through a YAML alias: its text is the anchored
            /// value's (at `anchor`), which every alias of it repeats.
            case throughAlias(SourceLocation.AliasUse, anchor: SourceLocation)
        }

        public var override: SpecOverride
        public var reason: Reason
        /// Where in the spec: the node replaced, or the last node of the path the spec writes.
        public var location: SourceLocation

        init(_ override: SpecOverride, _ reason: Reason, at location: SourceLocation) {
            self.override = override
            self.reason = reason
            self.location = location
        }

        /// What went wrong and how to fix it, naming the path.
        public var message: String {
            let path = override.path
            switch reason {
            case .unreadableSpec(let diagnostic):
                return "cannot set '\(path)': the spec is not valid YAML (\(diagnostic.summary))"
            case .unreadablePath:
                return "cannot read the key path '\(path)'; write keys separated by dots and list indices in brackets, e.g. model.layers[0].units"
            case .notWritten(let written, let suggestion):
                return "the spec does not write '\(path)' (it stops at '\(written)')" + Suggestion.didYouMean(suggestion)
            case .notASingleValue(let found):
                return "'\(path)' is \(found) in the spec; an override replaces a single value or a list or mapping written on one line in brackets"
            case .valueNotOneLine:
                return "expected the value for '\(path)' as one YAML value on one line (a scalar, or a list or mapping in brackets), found '\(override.value)'"
            case .valueChangesStructure:
                return "'\(override.value)' written at '\(path)' would not read back as one value; quote it"
            case .throughAlias(let alias, let anchor):
                return "'\(path)' is reached through the alias '*\(alias.name)' at \(alias.line):\(alias.column), which repeats"
                    + " the value anchored at \(anchor.line):\(anchor.column); an override cannot change one use of an anchored value"
            }
        }

        /// `7:19: training.lr=0.1: the spec does not write ...`
        public var description: String { "\(location): \(override): \(message)" }

        /// The failure as a diagnostic located at the override (`--set training.lr=0.1`),
        /// with a note at the place in the spec it concerns. A spec that is not valid YAML
        /// gives the loader's own diagnostic, located in the spec.
        public var diagnostic: Diagnostic {
            let atPath = SourceLocation(line: 1, column: "--set ".count + 1, origin: .override(override.argument))
            let atValue = SourceLocation(line: 1, column: override.valueColumn, origin: .override(override.argument))
            let id: DiagnosticID
            let at: SourceLocation
            var notes: [Diagnostic.Note] = []
            switch reason {
            case .unreadableSpec(let diagnostic):
                return diagnostic
            case .unreadablePath:
                (id, at) = (.overridePath, atPath)
            case .notWritten(let written, _):
                (id, at) = (.overridePath, atPath)
                if location != .startOfFile || written != "(top level)" {
                    notes.append(.init(location: location, message: "the spec's '\(written)' is here"))
                }
            case .notASingleValue, .valueNotOneLine, .valueChangesStructure:
                (id, at) = (.overrideValue, atValue)
                if location != .startOfFile { notes.append(.init(location: location, message: "the value it replaces is here")) }
            case .throughAlias:
                (id, at) = (.writeThroughAlias, atPath)
                notes.append(.init(location: location, message: "the alias is here"))
            }
            return Diagnostic(DiagnosticMessage(id, message, fix: fix), at: at, length: override.argument.count - at.column + 1,
                              path: .root, notes: notes)
        }

        var fix: String? {
            switch reason {
            case .unreadableSpec: return nil
            case .unreadablePath: return "write e.g. --set model.layers[0].units=16"
            case .notWritten: return "check the path against the spec; a key can be added only to a mapping written one key a line"
            case .notASingleValue: return "set the values inside it one by one, e.g. --set model.layers[0].units=16"
            case .valueNotOneLine, .valueChangesStructure: return "quote the value, e.g. --set 'name=\"a, b\"'"
            case .throughAlias: return "set the anchored value itself (the path where '&name' is written), or write the value out in full where the alias stands"
            }
        }
    }
}

/// Writing over one node's text in a spec's lines: what sweeps and overrides share.
enum SpecText {
    /// The spec's lines as a sweep splits them (a CR before the LF stays on its line). Split
    /// by scalars: as Characters, CR LF is one, which no "\n" matches.
    static func lines(of source: String) -> [String] {
        source.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
    }

    /// Replaces the `node.length` characters at `node.location` with `text` (after the
    /// node's anchor, which stays); false
    /// when the node is not in `lines` (its line or column is past their end).
    @discardableResult
    static func write(_ text: String, over node: YAMLNode, in lines: inout [String]) -> Bool {
        let target = pastAnchor(node, in: lines)
        let line = target.location.line - 1
        guard lines.indices.contains(line) else { return false }
        var characters = Array(lines[line])
        let start = target.location.column - 1
        guard start >= 0, start <= characters.count else { return false }
        let end = min(characters.count, start + target.length)
        characters.replaceSubrange(start..<end, with: Array(text))
        lines[line] = String(characters)
        return true
    }

    /// The node without the anchor its text starts with (`&name `): libyaml starts an
    /// anchored node at its anchor, which a value written over it must keep.
    static func pastAnchor(_ node: YAMLNode, in source: String) -> YAMLNode {
        pastAnchor(node, in: lines(of: source))
    }

    static func pastAnchor(_ node: YAMLNode, in lines: [String]) -> YAMLNode {
        guard lines.indices.contains(node.location.line - 1) else { return node }
        let characters = Array(lines[node.location.line - 1])
        var column = node.location.column - 1
        guard characters.indices.contains(column), characters[column] == "&" else { return node }
        while column < characters.count, !characters[column].isWhitespace { column += 1 }
        while column < characters.count, characters[column] == " " { column += 1 }
        var moved = node
        let skipped = column - (node.location.column - 1)
        moved.location.column += skipped
        moved.length = max(1, node.length - skipped)
        return moved
    }

    static func character(at location: SourceLocation, in source: String) -> Character? {
        character(at: location, in: lines(of: source))
    }

    static func character(at location: SourceLocation, in lines: [String]) -> Character? {
        guard lines.indices.contains(location.line - 1) else { return nil }
        let characters = Array(lines[location.line - 1])
        return characters.indices.contains(location.column - 1) ? characters[location.column - 1] : nil
    }
}

extension YAMLNode {
    /// Same scalars (text and quoting), lists and mappings, wherever they are written.
    func sameContent(as other: YAMLNode) -> Bool {
        switch (content, other.content) {
        case (.scalar(let a), .scalar(let b)):
            return a == b
        case (.sequence(let a), .sequence(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameContent(as: $1) }
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count
                && zip(a, b).allSatisfy { $0.key.sameContent(as: $1.key) && $0.value.sameContent(as: $1.value) }
        default:
            return false
        }
    }
}
