/// Python source text for the values a compiled script embeds.
enum PythonLiteral {
    /// A binary64 in shortest round-trip form (`0.35`, `1e-09`, `100.0`), which Python's
    /// `float` reads back to the same bits; the values a valid spec holds are finite.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "float(\"nan\")" }
        if value.isInfinite { return value < 0 ? "-float(\"inf\")" : "float(\"inf\")" }
        return "\(value)"
    }

    /// A double-quoted string literal: backslash, quote and control characters escaped
    /// (`\u00XX`), everything else as is (the script is UTF-8).
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029:
                result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    static func list(_ values: [Double]) -> String {
        "[" + values.map(number).joined(separator: ", ") + "]"
    }

    static func strings(_ values: [String]) -> String {
        "[" + values.map(string).joined(separator: ", ") + "]"
    }

    /// Rows of numbers, one row per line.
    static func rows(_ rows: [[Double]], indent: String) -> String {
        if rows.isEmpty { return "[]" }
        return "[\n" + rows.map { indent + "    " + list($0) + "," }.joined(separator: "\n") + "\n" + indent + "]"
    }
}
