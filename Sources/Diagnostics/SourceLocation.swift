/// A position in a spec's text.
///
/// `line` and `column` are 1-based, as editors and compilers print them; `column`
/// counts Unicode characters (libyaml's convention), not bytes.
///
/// A spec's effective text can come from more than the file named on the command line:
/// a base file it `extends`, or a `--set` override. `origin` says which (nil: the spec file
/// itself), and a value copied through a YAML alias (`*name`) remembers the alias in `alias`,
/// so a diagnostic can point at the place the user sees the value used.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    /// Where the text is, when not in the spec file itself.
    public var origin: Origin?
    /// For a value reached through an alias: that alias's use.
    public var alias: AliasUse?

    /// The text a location can be in besides the spec file itself.
    public enum Origin: Hashable, Sendable {
        /// A base file reached through `extends`, named as diagnostics show it.
        case file(String)
        /// A `--set PATH=VALUE` override, named `--set PATH=VALUE`; line 1, and the column
        /// counts characters of that text.
        case override(String)
    }

    /// An alias (`*name`) and where it is written; the location it belongs to is inside the
    /// anchored value (`&name`) the alias repeats.
    public struct AliasUse: Hashable, Sendable {
        public var name: String
        public var line: Int
        public var column: Int

        public init(name: String, line: Int, column: Int) {
            self.name = name
            self.line = line
            self.column = column
        }
    }

    public init(line: Int, column: Int, origin: Origin? = nil, alias: AliasUse? = nil) {
        self.line = line
        self.column = column
        self.origin = origin
        self.alias = alias
    }

    /// Where a problem with the file as a whole is reported (empty file, unreadable bytes).
    public static let startOfFile = SourceLocation(line: 1, column: 1)

    /// Where a diagnostic points: the alias's use for a value reached through an alias (the
    /// anchored text is named in a note), else the location itself.
    public var shown: SourceLocation {
        guard let alias else { return self }
        return SourceLocation(line: alias.line, column: alias.column, origin: origin)
    }

    /// Where the value is written, without the alias that reached it.
    public var written: SourceLocation { SourceLocation(line: line, column: column, origin: origin) }

    /// The spec file first, then base files and overrides by name; within one text, by line and column.
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        let (x, y) = (a.shown, b.shown)
        if x.origin != y.origin { return x.originRank < y.originRank }
        return (x.line, x.column) < (y.line, y.column)
    }

    private var originRank: String {
        switch origin {
        case nil: return "0"
        case .file(let name): return "1" + name
        case .override(let name): return "2" + name
        }
    }

    /// `7:19`, or for an override `--set training.learning_rate=-1` (its one line needs no number).
    /// The file a location is in is added by whoever prints it (`DiagnosticRenderer`).
    public var description: String {
        let at = shown
        if case .override(let name) = at.origin { return name }
        return "\(at.line):\(at.column)"
    }
}

/// A value together with where it was written in the spec.
public struct Located<Value> {
    public var value: Value
    public var location: SourceLocation
    /// The scalar's text as the spec wrote it (`1e-400`, `0.50`), for messages that quote a
    /// number: a Float64 prints as Swift renders it (`0.0`, `0.5`), not as it was written.
    public var written: String?

    public init(_ value: Value, at location: SourceLocation, written: String? = nil) {
        self.value = value
        self.location = location
        self.written = written
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
