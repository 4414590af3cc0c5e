import Foundation

/// The spec's number grammar: JSON's, on plain (unquoted) YAML scalars.
///
///     number  = [ "-" ] int [ frac ] [ exp ]
///     int     = "0" | digit1-9 *digit
///     frac    = "." 1*digit
///     exp     = ("e" | "E") [ "+" | "-" ] 1*digit
///
/// plus a finiteness check: `1e400` overflows a Float64 and is refused. YAML 1.1's
/// extras (`0x10`, `1_000`, `.inf`, `yes`) are not numbers here; `NumberSyntax` says
/// what to write instead.
public enum NumberSyntax {
    /// True when `text` matches the JSON number grammar (`DecimalText`).
    public static func isJSONNumber(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { DecimalText($0) != nil }
    }

    /// True for a JSON integer: `-?(0|[1-9][0-9]*)`.
    public static func isJSONInteger(_ text: String) -> Bool {
        isJSONNumber(text) && !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    }

    /// A suggestion for text that is not a JSON number, if we recognise what was meant.
    public static func correction(for text: String) -> String? {
        let lowered = text.lowercased()
        if ["yes", "no", "on", "off", "true", "false", "y", "n"].contains(lowered) {
            return "'\(text)' is a word, not a number; write the number itself"
        }
        if [".inf", "-.inf", "+.inf", "inf", "-inf", "infinity", "-infinity", ".nan", "nan"].contains(lowered) {
            return "numbers must be finite; write a finite decimal number"
        }
        if lowered.hasPrefix("0x") || lowered.hasPrefix("-0x") || lowered.hasPrefix("0o") || lowered.hasPrefix("0b") {
            if let value = Int(lowered.replacingOccurrences(of: "0x", with: ""), radix: 16), lowered.contains("x") {
                return "hexadecimal is not allowed; write \(value)"
            }
            return "only decimal numbers are allowed"
        }
        if text.contains("_"), isJSONNumber(text.replacingOccurrences(of: "_", with: "")) {
            return "digit separators are not allowed; write \(text.replacingOccurrences(of: "_", with: ""))"
        }
        if text.hasPrefix("+"), isJSONNumber(String(text.dropFirst())) {
            return "write \(text.dropFirst()) without the '+'"
        }
        if text.hasPrefix("."), isJSONNumber("0" + text) { return "write 0\(text)" }
        if text.hasPrefix("-."), isJSONNumber("-0" + text.dropFirst()) { return "write -0\(text.dropFirst())" }
        if text.hasSuffix("."), isJSONNumber(text + "0") { return "write \(text)0" }
        if let stripped = strippingLeadingZeros(text), isJSONNumber(stripped) {
            return "leading zeros are not allowed; write \(stripped)"
        }
        return nil
    }

    private static func strippingLeadingZeros(_ text: String) -> String? {
        let negative = text.hasPrefix("-")
        let body = negative ? Substring(text.dropFirst()) : Substring(text)
        guard body.count > 1, body.hasPrefix("0"), let second = body.dropFirst().first, second.isASCIIDigit else { return nil }
        var trimmed = body.drop { $0 == "0" }
        if trimmed.isEmpty || trimmed.first == "." { trimmed = "0" + trimmed }
        return (negative ? "-" : "") + trimmed
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
