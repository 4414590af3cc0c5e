import Diagnostics

/// One node of a YAML document, with the place it starts in the file.
///
/// libyaml resolves no types, so every scalar is text; whether it was written plain
/// (`0.5`) or quoted (`"0.5"`) is kept because the spec format treats only plain
/// scalars as numbers.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(Scalar)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    public struct Scalar: Sendable, Equatable {
        public var text: String
        /// True for an unquoted, non-block scalar: the only kind that can be a number or boolean.
        public var isPlain: Bool

        public init(text: String, isPlain: Bool) {
            self.text = text
            self.isPlain = isPlain
        }
    }

    public struct Pair: Sendable {
        public var key: YAMLNode
        public var value: YAMLNode

        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    public var content: Content
    public var location: SourceLocation
    /// Width in characters when the node sits on one line (used to underline it), else 1.
    public var length: Int

    public init(_ content: Content, at location: SourceLocation, length: Int = 1) {
        self.content = content
        self.location = location
        self.length = length
    }

    /// How the node is described in "found ..." messages.
    public var kindDescription: String {
        switch content {
        case .scalar(let scalar):
            if scalar.isPlain && scalar.text.isEmpty { return "nothing (an empty value)" }
            return scalar.isPlain ? "'\(scalar.text)'" : "the quoted string \"\(scalar.text)\""
        case .sequence(let items):
            return "a list of \(items.count) item\(items.count == 1 ? "" : "s")"
        case .mapping:
            return "a mapping"
        }
    }
}
