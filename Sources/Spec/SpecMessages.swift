import Diagnostics
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

    /// A number as the spec wrote it: "1e-400 (0 as a 64-bit float)", "-1.7976931348623157e308",
    /// where the Float64 would print as 0.0 and -1.7976931348623157e+308. A number written
    /// with a nonzero digit that rounds to zero says so, or "found 1e-400" would read as fine
    /// where a positive number is expected.
    public static func number(_ number: Located<Double>) -> String {
        guard let written = number.written else { return "\(number.value)" }
        let mantissa = written.prefix { $0 != "e" && $0 != "E" }
        if number.value == 0, mantissa.contains(where: { $0.isASCIIDigit && $0 != "0" }) {
            return "\(written) (0 as a 64-bit float)"
        }
        return written
    }
}
