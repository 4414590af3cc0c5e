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
        var output = JSONBytes()
        output.bytes.reserveCapacity(sizeBound(indent: 0) + 1)
        write(to: &output, indent: 0)
        output.bytes.append(UInt8(ascii: "\n"))
        return output.bytes
    }

    private func write(to output: inout JSONBytes, indent: Int) {
        switch self {
        case .object(let members):
            if members.isEmpty { output.append("{}"); return }
            output.bytes.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                output.newline(indent + 1)
                output.write(string: key)
                output.append(": ")
                value.write(to: &output, indent: indent + 1)
                if index < members.count - 1 { output.bytes.append(UInt8(ascii: ",")) }
            }
            output.newline(indent)
            output.bytes.append(UInt8(ascii: "}"))
        case .array(let items):
            if items.allSatisfy(\.isScalar) {
                output.bytes.append(UInt8(ascii: "["))
                for index in items.indices {
                    if index > 0 { output.separator() }
                    switch items[index] {
                    // The history's thousands of numbers: written here, not through a call per item.
                    case .number(let value) where value.isFinite: value.write(to: &output)
                    case .integer(let value): output.write(integer: value)
                    default: items[index].write(to: &output, indent: indent)
                    }
                }
                output.bytes.append(UInt8(ascii: "]"))
                return
            }
            output.bytes.append(UInt8(ascii: "["))
            for index in items.indices {
                output.newline(indent + 1)
                items[index].write(to: &output, indent: indent + 1)
                if index < items.count - 1 { output.bytes.append(UInt8(ascii: ",")) }
            }
            output.newline(indent)
            output.bytes.append(UInt8(ascii: "]"))
        case .number(let value):
            if value.isFinite { value.write(to: &output) } else { output.append("null") }
        case .integer(let value):
            output.write(integer: value)
        case .string(let value):
            output.write(string: value)
        case .bool(let value):
            output.append(value ? "true" : "false")
        case .null:
            output.append("null")
        }
    }

    /// At least as many bytes as `write(to:indent:)` produces, so that the output is allocated
    /// once: grown by doubling, each larger copy past malloc's mmap threshold is faulted in
    /// page by page again (about 100 of the w1 process's 1,200 page faults).
    func sizeBound(indent: Int) -> Int {
        // Per member or item: its newline and indentation, ", " or ",", and for a member its
        // quoted key and ": ". Around them: the brackets and the closing line's indentation.
        let line = 3 + 2 * (indent + 1)
        switch self {
        case .object(let members):
            var size = 4 + 2 * indent
            for (key, value) in members { size += line + 4 + 6 * key.utf8.count + value.sizeBound(indent: indent + 1) }
            return size
        case .array(let items):
            var size = 4 + 2 * indent + line * items.count
            for index in items.indices {
                switch items[index] {
                case .number: size += 24   // the history's numbers, without a call each
                case .integer(let value): size += JSONValue.integerSizeBound(value)
                default: size += items[index].sizeBound(indent: indent + 1)
                }
            }
            return size
        case .number: return 24   // the longest shortest round-trip form: "-2.2250738585072014e-308"
        case .integer(let value): return JSONValue.integerSizeBound(value)
        case .string(let value): return 2 + 6 * value.utf8.count  // every byte a \u00XX escape at worst
        case .bool: return 5
        case .null: return 4
        }
    }

    /// A sign and at most ⌊b·log10(2)⌋ + 1 digits for a b-bit magnitude (1234/4096 is just
    /// above log10(2)): a history's steps are short, and counted without a division.
    private static func integerSizeBound(_ value: Int) -> Int {
        let bits = UInt64.bitWidth - value.magnitude.leadingZeroBitCount
        return 2 + (bits * 1234) >> 12
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }
}

/// The bytes of a document being written. A `TextOutputStream`, so that a number writes
/// itself in: `Double.write(to:)` hands its digits over as ASCII (`_writeASCII`), the same
/// digits as `description` without making a String of them for each number (a results
/// file's history has one per recorded step).
private struct JSONBytes: TextOutputStream {
    var bytes: [UInt8] = []

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }

    mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func newline(_ depth: Int) {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// `, ` between the items of a one-line array: two bytes appended one at a time, which
    /// costs less than a copy of a buffer (a history has one per recorded step).
    mutating func separator() {
        bytes.append(UInt8(ascii: ","))
        bytes.append(UInt8(ascii: " "))
    }

    /// Decimal digits, the most significant first: the largest power of ten not above the
    /// value found, then one digit appended per power (a history's steps are small integers).
    mutating func write(integer value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var power: UInt = 1
        while power <= magnitude / 10 { power *= 10 }
        var rest = magnitude
        while true {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / power))
            rest %= power
            if power == 1 { break }
            power /= 10
        }
    }

    /// RFC 8259 string escaping: quote, backslash and control characters.
    mutating func write(string value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                write("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
