/// A JSON value whose objects keep their keys in the order written, so a results file
/// has one documented key order (Foundation's encoder does not guarantee one).
public enum JSONValue: Equatable, Sendable {
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
        String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// `serialized()` as UTF-8 bytes, which is what a file is written from: for a results
    /// file of a million parameters (tens of MB) the String would be one more copy.
    public func serializedBytes() -> [UInt8] {
        // Written as UTF-8 bytes: appending to a String piece by piece costs several times
        // more for a history of 10,000 numbers.
        var bytes: [UInt8] = []
        write(to: &bytes, indent: 0)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private func write(to bytes: inout [UInt8], indent: Int) {
        func newline(_ depth: Int) {
            bytes.append(UInt8(ascii: "\n"))
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
        }
        switch self {
        case .object(let members):
            if members.isEmpty { JSONValue.append("{}", to: &bytes); return }
            bytes.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                newline(indent + 1)
                JSONValue.writeString(key, to: &bytes)
                JSONValue.append(": ", to: &bytes)
                value.write(to: &bytes, indent: indent + 1)
                if index < members.count - 1 { bytes.append(UInt8(ascii: ",")) }
            }
            newline(indent)
            bytes.append(UInt8(ascii: "}"))
        case .array(let items):
            if items.allSatisfy(\.isScalar) {
                bytes.append(UInt8(ascii: "["))
                for (index, item) in items.enumerated() {
                    if index > 0 { JSONValue.append(", ", to: &bytes) }
                    item.write(to: &bytes, indent: indent)
                }
                bytes.append(UInt8(ascii: "]"))
                return
            }
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                newline(indent + 1)
                item.write(to: &bytes, indent: indent + 1)
                if index < items.count - 1 { bytes.append(UInt8(ascii: ",")) }
            }
            newline(indent)
            bytes.append(UInt8(ascii: "]"))
        case .number(let value):
            if value.isFinite { JSONValue.append(value.description, to: &bytes) } else { JSONValue.append("null", to: &bytes) }
        case .integer(let value):
            JSONValue.writeInteger(value, to: &bytes)
        case .string(let value):
            JSONValue.writeString(value, to: &bytes)
        case .bool(let value):
            JSONValue.append(value ? "true" : "false", to: &bytes)
        case .null:
            JSONValue.append("null", to: &bytes)
        }
    }

    /// A string's UTF-8 bytes, copied from its contiguous storage in one go (appending its
    /// `utf8` view goes byte by byte, which is most of the time of writing a long history).
    private static func append(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Decimal digits of an integer, without making a String of it.
    private static func writeInteger(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in   // UInt64.max has 20
            var count = 0
            repeat {
                digits[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: digits[0..<count].reversed())
        }
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }

    /// RFC 8259 string escaping: quote, backslash and control characters.
    private static func writeString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += "\\\"".utf8
            case UInt8(ascii: "\\"): bytes += "\\\\".utf8
            case UInt8(ascii: "\n"): bytes += "\\n".utf8
            case UInt8(ascii: "\r"): bytes += "\\r".utf8
            case UInt8(ascii: "\t"): bytes += "\\t".utf8
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                bytes += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
