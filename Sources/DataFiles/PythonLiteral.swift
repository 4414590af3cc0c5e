/// The Python literals a .npy header can hold.
indirect enum PythonLiteral: Equatable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(String, PythonLiteral)])

    static func == (a: PythonLiteral, b: PythonLiteral) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.none, .none): return true
        case let (.tuple(x), .tuple(y)), let (.list(x), .list(y)): return x == y
        case let (.dict(x), .dict(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    var kindDescription: String {
        switch self {
        case .string(let text): return "the string '\(text.count > 40 ? String(text.prefix(40)) + "..." : text)'"
        case .integer(let value): return "the number \(value)"
        case .bool(let value): return value ? "True" : "False"
        case .none: return "None"
        case .tuple(let items): return "a tuple of \(items.count) item\(items.count == 1 ? "" : "s")"
        case .list(let items): return "a list of \(items.count) item\(items.count == 1 ? "" : "s")"
        case .dict: return "a dict"
        }
    }
}

/// A recursive-descent parser of the Python literal subset NumPy writes: dicts with string
/// keys, strings in single or double quotes, whole numbers (with Python 2's `L` suffix),
/// `True`, `False`, `None`, tuples and lists. Nesting is limited so no input exhausts the stack.
struct PythonLiteralParser {
    struct SyntaxError: Error {
        var message: String
    }

    static let maxDepth = 16
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var depth = 0

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    /// One value, then nothing but white space (NumPy pads the header with spaces and a newline).
    mutating func parseAll() throws -> PythonLiteral {
        let value = try parseValue()
        skipWhitespace()
        if position < scalars.count {
            throw fail("expected the end of the header after the dict, found \(found)")
        }
        return value
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    /// What is at the current position, for messages.
    private var found: String {
        guard let current else { return "the end of the header" }
        if current.isASCII, current.value >= 0x20, current.value < 0x7F { return "'\(Character(current))'" }
        return "the character U+\(String(current.value, radix: 16, uppercase: true))"
    }

    private func fail(_ message: String) -> SyntaxError {
        SyntaxError(message: "\(message) at character \(position + 1)")
    }

    private mutating func skipWhitespace() {
        while let current, [" ", "\t", "\n", "\r"].contains(current) { position += 1 }
    }

    private mutating func expect(_ scalar: Unicode.Scalar) throws {
        skipWhitespace()
        guard current == scalar else { throw fail("expected '\(Character(scalar))', found \(found)") }
        position += 1
    }

    private mutating func parseValue() throws -> PythonLiteral {
        skipWhitespace()
        guard let current else { throw fail("expected a value, found the end of the header") }
        switch current {
        case "{":
            return try nested { try $0.parseDict() }
        case "(":
            return try nested { try $0.parseSequence(closing: ")") }
        case "[":
            return try nested { try $0.parseSequence(closing: "]") }
        case "'", "\"":
            return .string(try parseString())
        case "0"..."9", "-", "+":
            return .integer(try parseInteger())
        default:
            for (word, value) in [("True", PythonLiteral.bool(true)), ("False", .bool(false)), ("None", .none)]
            where matches(word) {
                position += word.unicodeScalars.count
                return value
            }
            throw fail("expected a value, found \(found)")
        }
    }

    private func matches(_ word: String) -> Bool {
        let wordScalars = Array(word.unicodeScalars)
        guard position + wordScalars.count <= scalars.count,
              Array(scalars[position..<(position + wordScalars.count)]) == wordScalars else { return false }
        // Not the start of a longer name (`Trueish`).
        let next = position + wordScalars.count
        return next == scalars.count || !(scalars[next].properties.isAlphabetic || scalars[next] == "_"
                                          || ("0"..."9").contains(scalars[next]))
    }

    private mutating func nested(_ parse: (inout PythonLiteralParser) throws -> PythonLiteral) throws -> PythonLiteral {
        guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth) levels") }
        depth += 1
        defer { depth -= 1 }
        return try parse(&self)
    }

    private mutating func parseDict() throws -> PythonLiteral {
        try expect("{")
        var pairs: [(String, PythonLiteral)] = []
        while true {
            skipWhitespace()
            if current == "}" { position += 1; return .dict(pairs) }
            guard current == "'" || current == "\"" else { throw fail("expected a quoted key or '}', found \(found)") }
            let key = try parseString()
            try expect(":")
            pairs.append((key, try parseValue()))
            skipWhitespace()
            if current == "," { position += 1; continue }
            if current == "}" { position += 1; return .dict(pairs) }
            throw fail("expected ',' or '}', found \(found)")
        }
    }

    /// `(...)` or `[...]`. `(3)` is the number 3, as in Python; `(3,)` is a tuple.
    private mutating func parseSequence(closing: Unicode.Scalar) throws -> PythonLiteral {
        position += 1  // the opening bracket
        var items: [PythonLiteral] = []
        var sawComma = false
        while true {
            skipWhitespace()
            if current == closing { position += 1; break }
            items.append(try parseValue())
            skipWhitespace()
            if current == "," { position += 1; sawComma = true; continue }
            if current == closing { position += 1; break }
            throw fail("expected ',' or '\(Character(closing))', found \(found)")
        }
        if closing == "]" { return .list(items) }
        if items.count == 1 && !sawComma { return items[0] }
        return .tuple(items)
    }

    private mutating func parseString() throws -> String {
        guard let quote = current else { throw fail("expected a string") }
        let start = position
        position += 1
        var text = String.UnicodeScalarView()
        while let scalar = current {
            position += 1
            if scalar == quote { return String(text) }
            if scalar == "\n" { break }
            if scalar == "\\" {
                guard let escaped = current else { break }
                position += 1
                switch escaped {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\\", "'", "\"": text.append(escaped)
                default: text.append("\\"); text.append(escaped)
                }
                continue
            }
            text.append(scalar)
        }
        position = start
        throw fail("unterminated string")
    }

    private mutating func parseInteger() throws -> Int {
        let start = position
        var negative = false
        if current == "-" || current == "+" {
            negative = current == "-"
            position += 1
        }
        var value = 0
        var digits = 0
        while let current, ("0"..."9").contains(current) {
            let digit = Int(current.value - 48)
            // Accumulated as a negative number, so that Int.min itself fits.
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(digit)
            guard !overflow1, !overflow2 else {
                position = start
                throw fail("a whole number too large for 64 bits")
            }
            value = next
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw fail("expected digits, found \(found)") }
        if current == "L" || current == "l" { position += 1 }  // Python 2's long integers: (3L, 2L)
        if negative { return value }
        guard value != Int.min else {
            position = start
            throw fail("a whole number too large for 64 bits")
        }
        return -value
    }
}
