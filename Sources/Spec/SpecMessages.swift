import YAMLSource

/// Message texts shared by decoding and validation, so the same situation is always
/// worded the same way.
public enum SpecMessages {
    /// "expected a number, found the quoted string \"0.5\""
    public static func expected(_ expected: String, found node: YAMLNode) -> String {
        "expected \(expected), found \(node.kindDescription)"
    }

    /// "1 item" / "3 items"
    public static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
