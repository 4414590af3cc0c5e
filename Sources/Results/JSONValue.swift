/// A JSON value whose objects keep their keys in the order written, so a results file
/// has one documented key order (Foundation's encoder does not guarantee one).
public indirect enum JSONValue: Equatable, Sendable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case number(Double)
    case integer(Int)
    case string(String)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let x), .array(let y)): return x == y
        case (.number(let x), .number(let y)): return x.bitPattern == y.bitPattern
        case (.integer(let x), .integer(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    public static func numbers(_ values: [Double]) -> JSONValue { .array(values.map(JSONValue.number)) }
    public static func matrix(_ rows: [[Double]]) -> JSONValue { .array(rows.map(numbers)) }
}

extension JSONValue {
    /// Pretty-printed with two-space indentation; arrays of scalars stay on one line so
    /// a weight matrix reads as rows. Ends with a newline.
    ///
    /// Numbers are written in Swift's shortest round-trip form (`0.1`, `1e-09`, `100.0`,
    /// `-0.0`), which is valid JSON and reads back to the same Float64 bits. NaN and
    /// infinities, which JSON cannot represent, are written as null.
    public func serialized() -> String {
        var text = ""
        write(to: &text, indent: 0)
        text += "\n"
        return text
    }

    private func write(to text: inout String, indent: Int) {
        switch self {
        case .object(let members):
            if members.isEmpty { text += "{}"; return }
            text += "{\n"
            for (index, (key, value)) in members.enumerated() {
                text += String(repeating: "  ", count: indent + 1)
                JSONValue.writeString(key, to: &text)
                text += ": "
                value.write(to: &text, indent: indent + 1)
                text += index == members.count - 1 ? "\n" : ",\n"
            }
            text += String(repeating: "  ", count: indent) + "}"
        case .array(let items):
            if items.allSatisfy(\.isScalar) {
                text += "["
                for (index, item) in items.enumerated() {
                    if index > 0 { text += ", " }
                    item.write(to: &text, indent: indent)
                }
                text += "]"
                return
            }
            text += "[\n"
            for (index, item) in items.enumerated() {
                text += String(repeating: "  ", count: indent + 1)
                item.write(to: &text, indent: indent + 1)
                text += index == items.count - 1 ? "\n" : ",\n"
            }
            text += String(repeating: "  ", count: indent) + "]"
        case .number(let value):
            text += value.isFinite ? value.description : "null"
        case .integer(let value):
            text += String(value)
        case .string(let value):
            JSONValue.writeString(value, to: &text)
        case .bool(let value):
            text += value ? "true" : "false"
        case .null:
            text += "null"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }

    /// RFC 8259 string escaping: quote, backslash and control characters.
    private static func writeString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
