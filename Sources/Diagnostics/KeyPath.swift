/// The path of a value inside a spec, written the way users refer to it:
/// `model.layers[1].weights[0]`.
public struct KeyPath: Hashable, Sendable, CustomStringConvertible {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public private(set) var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    /// The spec's top level (rendered as `(top level)`).
    public static let root = KeyPath()

    public func appending(_ key: String) -> KeyPath {
        KeyPath(components + [.key(key)])
    }

    public func appending(_ index: Int) -> KeyPath {
        KeyPath(components + [.index(index)])
    }

    public static func / (path: KeyPath, key: String) -> KeyPath { path.appending(key) }
    public static func / (path: KeyPath, index: Int) -> KeyPath { path.appending(index) }

    public var description: String {
        if components.isEmpty { return "(top level)" }
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
