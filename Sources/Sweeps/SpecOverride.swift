import Diagnostics
import YAMLSource

/// One value set at a key path of a spec's text: `training.learning_rate` = `0.1`,
/// `model.layers[0].units` = `16`.
///
/// The mechanism a sweep uses for each axis, for everything else that derives one spec
/// from another (the tests today, `--set KEY.PATH=VALUE` later): the path is read as a
/// sweep key path is (`SpecPath`), looked up in the spec's node tree, and the value is
/// written over the text of the node it names, on that node's line, so every other line
/// and column of the spec stays where it was and diagnostics about the new spec point
/// into text the user wrote.
///
/// Unlike a sweep, an override never adds a key: a path the spec does not write is a
/// failure (with the nearest written key offered), so that a misspelled path cannot
/// silently change nothing.
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

    /// `training.learning_rate=0.1`, as `--set` will take it.
    public var description: String { "\(path)=\(value)" }

    /// The spec's text with every override written in place, in order (a later override of
    /// the same path wins).
    public static func apply(_ overrides: [SpecOverride], to source: String) throws(Failure) -> String {
        var text = source
        for override in overrides { text = try override.applied(to: text) }
        return text
    }

    /// The spec's text with this value written over the node at `path`.
    public func applied(to source: String) throws(Failure) -> String {
        let root = try SpecOverride.load(source, for: self)
        guard let components = SpecPath(path) else { throw Failure(self, .unreadablePath, at: .startOfFile) }
        let target: YAMLNode
        switch components.find(in: root) {
        case .found(let node):
            target = node
        case .missingTopLevelKey:
            throw Failure(self, .notWritten(stopsAt: "(top level)", suggestion: nil), at: root.location)
        case .missing(let written, let suggestion):
            let stop = SpecPath(written).flatMap { if case .found(let node) = $0.find(in: root) { node } else { nil } }
            throw Failure(self, .notWritten(stopsAt: written, suggestion: suggestion), at: stop?.location ?? root.location)
        }
        guard SpecOverride.isReplaceable(target, in: source) else {
            throw Failure(self, .notASingleValue(found: target.kindDescription), at: target.location)
        }
        guard !value.contains(where: \.isNewline), case .success(let wanted) = YAMLLoader.load(Array(value.utf8)),
              SpecOverride.isOneLineValue(wanted, written: value)
        else { throw Failure(self, .valueNotOneLine, at: target.location) }

        var lines = SpecText.lines(of: source)
        guard SpecText.write(value, over: target, in: &lines) else {
            throw Failure(self, .notASingleValue(found: target.kindDescription), at: target.location)
        }
        let edited = lines.joined(separator: "\n")
        // Written in place, the value must read back as itself at the same path: `0.1, x`
        // dropped into a flow mapping would add a key instead.
        guard case .success(let reloaded) = YAMLLoader.load(Array(edited.utf8)),
              case .found(let written) = components.find(in: reloaded), written.sameContent(as: wanted)
        else { throw Failure(self, .valueChangesStructure, at: target.location) }
        return edited
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
            /// The spec does not write the path; `stopsAt` is the longest prefix it writes,
            /// `suggestion` the path with its first unknown key replaced by the nearest one.
            case notWritten(stopsAt: String, suggestion: String?)
            /// The path names a block mapping or list.
            case notASingleValue(found: String)
            /// The value is not one YAML scalar or flow collection on one line.
            case valueNotOneLine
            /// Written in place, the value would read back as something else.
            case valueChangesStructure
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
            }
        }

        /// `7:19: training.lr=0.1: the spec does not write ...`
        public var description: String { "\(location): \(override): \(message)" }
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

    /// Replaces the `target.length` characters at `target.location` with `text`; false
    /// when the node is not in `lines` (its line or column is past their end).
    @discardableResult
    static func write(_ text: String, over target: YAMLNode, in lines: inout [String]) -> Bool {
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
