import Foundation

/// Reading JSON back (`diff`, `check --golden`, `plot`, merging sweep summaries): a strict
/// RFC 8259 reader written here so that every number reads back exactly.
///
/// A number's text is checked against the JSON grammar and converted with `Double(String)`,
/// which is `strtod` in the C locale: correctly rounded (round to nearest, ties to even) on
/// glibc and Darwin, for any number of digits. So a file written in shortest round-trip form
/// reads back to the very bits that were written, and two files one ulp apart differ.
/// (Foundation's JSON readers round some 17-digit numbers to a neighbour, which could hide
/// a 1-ulp difference from `diff` at zero tolerance.)
///
/// - A number without fraction or exponent that fits in `Int` is `.integer` (except `-0`,
///   which stays the Float64 -0.0); every other number is `.number`. A number whose
///   magnitude rounds beyond the largest Float64 (1.8e308) is refused; one that underflows
///   reads as the nearest subnormal or zero, as the rounding rule says.
/// - Objects keep their members in the order written; a key written twice is refused (the
///   second value would otherwise be silently ignored by a comparison).
/// - Nesting deeper than `maximumDepth` is refused rather than risking the stack.
/// - A leading UTF-8 byte order mark is skipped (RFC 8259 allows a reader to).
extension JSONValue {
    public static let maximumDepth = 512

    public static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONValue {
        var reader = JSONReader(bytes: [UInt8](data))
        return try reader.document()
    }

    /// The member `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }
}

/// Where and why a text is not JSON. Lines and columns count from 1; a column counts bytes.
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "line \(line), column \(column): \(message)" }
    public var errorDescription: String? { description }
}

private struct JSONReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    mutating func document() throws(JSONSyntaxError) -> JSONValue {
        let value = try self.value(depth: 1)
        skipWhitespace()
        if position < bytes.count { throw failure("expected the end of the document after the top-level value, found \(found)") }
        return value
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw failure("expected a value, found the end of the text") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("expected a value (object, array, string, number, true, false or null), found \(found)")
        }
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        try enter(depth)
        position += 1
        var members: [(String, JSONValue)] = []
        var keys = Set<String>()
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(members) }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw failure("expected a key in double quotes, found \(found)")
            }
            let keyStart = position
            let key = try string()
            if !keys.insert(key).inserted {
                position = keyStart
                throw failure("the key \"\(key)\" appears twice in one object")
            }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw failure("expected ':' after the key \"\(key)\", found \(found)") }
            members.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "}")) { return .object(members) }
            throw failure("expected ',' or '}' after a member of an object, found \(found)")
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        try enter(depth)
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(items) }
        while true {
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "]")) { return .array(items) }
            throw failure("expected ',' or ']' after an item of an array, found \(found)")
        }
    }

    private func enter(_ depth: Int) throws(JSONSyntaxError) {
        if depth > JSONValue.maximumDepth {
            throw failure("objects and arrays are nested more than \(JSONValue.maximumDepth) deep")
        }
    }

    /// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?, then converted as a whole.
    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = position
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            if position < bytes.count, isDigit(bytes[position]) {
                throw failure("a number must not start with 0 followed by digits, found \(found)")
            }
        } else if digitCount() == 0 {
            throw failure("expected a digit, found \(found)")
        }
        var whole = true
        if consume(UInt8(ascii: ".")) {
            whole = false
            if digitCount() == 0 { throw failure("expected a digit after the decimal point, found \(found)") }
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            whole = false
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            if digitCount() == 0 { throw failure("expected a digit in the exponent, found \(found)") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if whole, text != "-0", let integer = Int(text) { return .integer(integer) }
        guard let value = Double(text), value.isFinite else {
            position = start
            throw failure("the number \(text) is beyond the largest 64-bit float (1.8e308)")
        }
        return .number(value)
    }

    private mutating func digitCount() -> Int {
        let start = position
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        return position - start
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A string in double quotes with RFC 8259 escapes; its bytes must be UTF-8 and contain
    /// no control characters.
    private mutating func string() throws(JSONSyntaxError) -> String {
        let start = position
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard position < bytes.count else {
                position = start
                throw failure("a string is not closed (no matching '\"')")
            }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(bytes: utf8, encoding: .utf8) else {
                    position = start
                    throw failure("a string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                position += 1
                try escape(into: &utf8)
            case 0..<0x20:
                throw failure("a control character (byte \(byte)) inside a string must be escaped")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(JSONSyntaxError) {
        guard position < bytes.count else { throw failure("a string ends inside an escape") }
        let escaped = bytes[position]
        position += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped); return
        case UInt8(ascii: "b"): utf8.append(0x08); return
        case UInt8(ascii: "f"): utf8.append(0x0C); return
        case UInt8(ascii: "n"): utf8.append(0x0A); return
        case UInt8(ascii: "r"): utf8.append(0x0D); return
        case UInt8(ascii: "t"): utf8.append(0x09); return
        case UInt8(ascii: "u"): break
        default:
            position -= 1
            throw failure("expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) after a backslash, found \(found)")
        }
        var scalar = try hexQuad()
        if (0xD800..<0xDC00).contains(scalar) {
            guard bytes[position...].starts(with: Array("\\u".utf8)) else {
                throw failure("expected a low surrogate \\uDC00-\\uDFFF after a high surrogate, found \(found)")
            }
            position += 2
            let low = try hexQuad()
            guard (0xDC00..<0xE000).contains(low) else {
                throw failure("expected a low surrogate \\uDC00-\\uDFFF after a high surrogate")
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw failure("a low surrogate \\u\(String(scalar, radix: 16, uppercase: true)) without a high surrogate before it")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw failure("not a Unicode scalar: \(scalar)") }
        utf8.append(contentsOf: String(unicode).utf8)
    }

    private mutating func hexQuad() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count,
              let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16),
              bytes[position..<position + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
        else { throw failure("expected four hexadecimal digits after \\u, found \(found)") }
        position += 4
        return value
    }

    private mutating func literal(_ word: String) throws(JSONSyntaxError) {
        let expected = Array(word.utf8)
        guard bytes[position...].starts(with: expected) else {
            throw failure("expected a value (object, array, string, number, true, false or null), found \(found)")
        }
        position += expected.count
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): position += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// What is at the current position, for a message: a quoted character or the end.
    private var found: String {
        guard position < bytes.count else { return "the end of the text" }
        let byte = bytes[position]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte \(byte)"
    }

    private func failure(_ message: String) -> JSONSyntaxError {
        var line = 1, lineStart = 0
        for index in 0..<min(position, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return JSONSyntaxError(line: line, column: position - lineStart + 1, message: message)
    }
}
