/// One problem found in a spec, as a value.
///
/// Phases collect diagnostics and hand them forward; only the command line renders
/// them (see `Diagnostic+Rendering.swift`). A diagnostic says where (location and key
/// path), what is wrong (`message`, which names what was found and what was expected)
/// and, when there is one, how to fix it.
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable {
        case error
        case warning
    }

    public var severity: Severity
    /// Which rule was broken (Docs/diagnostics.md explains each).
    public var id: DiagnosticID
    public var location: SourceLocation
    /// How many characters the underline under the source line covers (at least 1).
    public var length: Int
    public var path: KeyPath
    public var message: String
    /// A concrete edit that makes the spec valid, e.g. "write 0.5 instead of .5".
    public var fix: String?
    /// Further locations that explain the problem (e.g. the first of two duplicate keys).
    public var notes: [Note]
    /// For a misspelled key: the key path it most likely stands for, so that later checks
    /// do not also report that key as missing.
    public var standsFor: KeyPath?

    public struct Note: Hashable, Sendable {
        public var location: SourceLocation
        public var message: String

        public init(location: SourceLocation, message: String) {
            self.location = location
            self.message = message
        }
    }

    public init(
        _ message: DiagnosticMessage,
        _ severity: Severity = .error,
        at location: SourceLocation,
        length: Int = 1,
        path: KeyPath,
        notes: [Note] = [],
        standsFor: KeyPath? = nil
    ) {
        self.severity = severity
        self.id = message.id
        self.location = location
        self.length = max(1, length)
        self.path = path
        self.message = message.text
        self.fix = message.fix
        self.notes = notes
        self.standsFor = standsFor
    }

    /// The one-line form, without the file name:
    /// `7:19: error[NN3009]: model.layers[0].activation: ...`. The ID stands in brackets
    /// after the severity, as rustc writes `error[E0308]`, so a `file:line:col: error`
    /// matcher still reads the line. Problems of the file as a whole (syntax errors, an
    /// empty file) have no key path.
    public var summary: String {
        let prefix = path.components.isEmpty ? "" : "\(path): "
        return "\(location): \(severity.rawValue)[\(id.code)]: \(prefix)\(message)"
    }
}

extension Array where Element == Diagnostic {
    public var containsErrors: Bool { contains { $0.severity == .error } }

    /// Diagnostics in source order, so output reads top to bottom like the file.
    public func sortedBySource() -> [Diagnostic] {
        enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
    }
}

/// A phase that stops at its first problem (loading YAML) can throw the diagnostic itself.
extension Diagnostic: Error {}
