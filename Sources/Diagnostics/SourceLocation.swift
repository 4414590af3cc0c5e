/// A position in a spec file.
///
/// `line` and `column` are 1-based, as editors and compilers print them; `column`
/// counts Unicode characters (libyaml's convention), not bytes.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Where a problem with the file as a whole is reported (empty file, unreadable bytes).
    public static let startOfFile = SourceLocation(line: 1, column: 1)

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
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
