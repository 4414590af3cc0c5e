import Diagnostics

/// A spec file's bytes read as text the way libyaml reads them: a UTF-16 byte-order mark
/// (`FF FE` or `FE FF`) selects UTF-16 little- or big-endian, anything else is UTF-8 with
/// or without its mark. Locations count lines as editors do (a line ends with LF, CRLF or
/// CR) and columns in Unicode characters, the byte-order mark not being one.
public enum SourceText {
    enum Encoding {
        case utf8
        case utf16LittleEndian
        case utf16BigEndian

        init(of bytes: [UInt8]) {
            if bytes.starts(with: [0xFF, 0xFE]) {
                self = .utf16LittleEndian
            } else if bytes.starts(with: [0xFE, 0xFF]) {
                self = .utf16BigEndian
            } else {
                self = .utf8
            }
        }

        /// Bytes per code unit.
        var unitWidth: Int { self == .utf8 ? 1 : 2 }

        /// The length of the byte-order mark `bytes` starts with, 0 when there is none.
        func byteOrderMarkLength(in bytes: [UInt8]) -> Int {
            switch self {
            case .utf8: return bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            case .utf16LittleEndian, .utf16BigEndian: return 2
            }
        }
    }

    /// The code units of `bytes` after the byte-order mark, each with the byte offset it
    /// starts at, decoded as they are visited (a 16 MiB file is not copied).
    struct CodeUnits: Sequence, IteratorProtocol {
        let bytes: [UInt8]
        let encoding: Encoding
        private var offset: Int

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            encoding = Encoding(of: bytes)
            offset = encoding.byteOrderMarkLength(in: bytes)
        }

        mutating func next() -> (offset: Int, value: UInt16)? {
            // An odd last byte of UTF-16 is no unit; libyaml reports it as "incomplete UTF-16 character".
            guard offset + encoding.unitWidth <= bytes.count else { return nil }
            defer { offset += encoding.unitWidth }
            switch encoding {
            case .utf8: return (offset, UInt16(bytes[offset]))
            case .utf16LittleEndian: return (offset, UInt16(bytes[offset + 1]) << 8 | UInt16(bytes[offset]))
            case .utf16BigEndian: return (offset, UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]))
            }
        }
    }

    /// The file's text without its byte-order mark; bytes that do not decode become U+FFFD.
    public static func decode(_ bytes: [UInt8]) -> String {
        let units = CodeUnits(bytes)
        switch units.encoding {
        case .utf8: return String(decoding: bytes.dropFirst(units.encoding.byteOrderMarkLength(in: bytes)), as: UTF8.self)
        case .utf16LittleEndian, .utf16BigEndian: return String(decoding: units.map(\.value), as: UTF16.self)
        }
    }

    /// The line and column of the character that starts at byte `offset` (libyaml's
    /// `problem_offset` for a reader error, which counts the byte-order mark).
    public static func location(ofByteOffset offset: Int, in bytes: [UInt8]) -> SourceLocation {
        let units = CodeUnits(bytes)
        var line = 1
        var column = 1
        var previous: UInt16?
        for unit in units {
            if unit.offset >= offset { break }
            defer { previous = unit.value }
            if unit.value == 0x0A {
                // CRLF is one line break; the CR already counted it.
                if previous != 0x0D { line += 1 }
                column = 1
            } else if unit.value == 0x0D {
                line += 1
                column = 1
            } else if !continuesCharacter(unit.value, after: previous, in: units.encoding) {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column)
    }

    /// True for a code unit that is part of the character before it: a UTF-8 continuation
    /// byte, or the low half of a UTF-16 surrogate pair.
    private static func continuesCharacter(_ unit: UInt16, after previous: UInt16?, in encoding: Encoding) -> Bool {
        switch encoding {
        case .utf8:
            return unit & 0xC0 == 0x80
        case .utf16LittleEndian, .utf16BigEndian:
            guard let previous else { return false }
            return (0xDC00...0xDFFF).contains(unit) && (0xD800...0xDBFF).contains(previous)
        }
    }

    /// Where a byte-order mark (U+FEFF) starts a line, other than the one that marks the
    /// encoding at the very start of the file. libyaml skips such a mark but counts it as a
    /// column, so the line reads as indented by one (a doubled mark, or files joined with `cat`).
    static func strayByteOrderMark(in bytes: [UInt8]) -> SourceLocation? {
        let units = CodeUnits(bytes)
        // U+FEFF is EF BB BF in UTF-8, one unit in UTF-16.
        let mark: [UInt16] = units.encoding == .utf8 ? [0xEF, 0xBB, 0xBF] : [0xFEFF]
        let start = units.encoding.byteOrderMarkLength(in: bytes)
        // Most files hold no U+FEFF past their first bytes: a byte search settles it.
        guard containsAny(of: [units.encoding == .utf8 ? 0xBB : 0xFE], in: bytes, from: start) else { return nil }
        var line = 1
        var atLineStart = true
        var previous: UInt16?
        var pending: [UInt16] = []
        for unit in units {
            // `pending` holds the units of a line's start that may still be a mark.
            if atLineStart || !pending.isEmpty {
                pending.append(unit.value)
                if pending == mark { return SourceLocation(line: line, column: 1) }
                if !mark.starts(with: pending) { pending = [] }
            }
            if unit.value == 0x0A {
                if previous != 0x0D { line += 1 }
                atLineStart = true
            } else if unit.value == 0x0D {
                line += 1
                atLineStart = true
            } else {
                atLineStart = false
            }
            previous = unit.value
        }
        return nil
    }

    /// True when a byte of `wanted` occurs in `bytes` from `start` on: one pass over the
    /// buffer with a table, since this runs on every file, 16 MiB ones included.
    static func containsAny(of wanted: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Bool {
        var table = [Bool](repeating: false, count: 256)
        for byte in wanted { table[Int(byte)] = true }
        return bytes.withUnsafeBufferPointer { buffer in
            table.withUnsafeBufferPointer { isWanted in
                var index = start
                while index < buffer.count {
                    if isWanted[Int(buffer[index])] { return true }
                    index += 1
                }
                return false
            }
        }
    }
}
