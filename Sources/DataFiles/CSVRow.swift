/// One row of a `CSVFile`: its fields as byte ranges of the file, valid only during the call
/// to `CSVFile.forEachRow` that hands it over (it must not be kept).
public struct CSVRow {
    struct Field {
        /// The value's bytes, inside the quotes for a quoted field.
        var start: Int
        var end: Int
        var quoted: Bool
        /// A quoted field with `""` in it, whose value needs them undoubled.
        var hasDoubledQuotes: Bool
    }

    /// Where a field is, or would be: line and column from 1, columns in characters.
    public struct Place: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var description: String { "\(line):\(column)" }
    }

    let file: UnsafeBufferPointer<UInt8>
    let fields: [Field]
    /// The row's first line (a quoted line break makes a row span more than one).
    public let line: Int
    /// The byte offsets of the row's first byte and of its line end (or the file's end).
    let start: Int
    let end: Int

    public var count: Int { fields.count }

    /// A line with nothing on it but spaces or tabs: one empty unquoted field.
    public var isBlank: Bool {
        fields.count == 1 && !fields[0].quoted && fields[0].start == fields[0].end
    }

    /// Field `index`'s value (inside the quotes, `""` undoubled) as UTF-8 bytes.
    public func withValue<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let field = fields[index]
        let bytes = UnsafeBufferPointer(rebasing: file[field.start..<field.end])
        guard field.hasDoubledQuotes else { return try body(bytes) }
        var undoubled: [UInt8] = []
        undoubled.reserveCapacity(bytes.count)
        var afterQuote = false
        for byte in bytes {
            // Of each `""`, the second is kept.
            if byte == UInt8(ascii: "\""), !afterQuote {
                afterQuote = true
                continue
            }
            afterQuote = false
            undoubled.append(byte)
        }
        return try undoubled.withUnsafeBufferPointer(body)
    }

    /// Field `index`'s value as text (invalid UTF-8 shown as U+FFFD).
    public func text(_ index: Int) -> String {
        withValue(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Where field `index` (from 0) starts: its first character past the blanks before it,
    /// the opening quote of a quoted field. For `index == count`, the row's end: where a
    /// missing field would be written.
    public func place(ofField index: Int) -> Place {
        let offset: Int
        if index < fields.count {
            offset = fields[index].quoted ? fields[index].start - 1 : fields[index].start
        } else {
            offset = end
        }
        var line = self.line
        var position = start
        while position < offset {
            if Self.isLineBreak(in: file, at: position) { line += 1 }
            position += 1
        }
        return Self.place(in: file, offset: offset, line: line)
    }

    /// True for an LF, and for a CR not followed by an LF (CRLF counts once, at its LF).
    static func isLineBreak(in file: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        let byte = file[position]
        if byte == UInt8(ascii: "\n") { return true }
        return byte == UInt8(ascii: "\r") && !(position + 1 < file.count && file[position + 1] == UInt8(ascii: "\n"))
    }

    /// The place of byte `offset`, which is on `line`: its column is one more than the
    /// characters (grapheme clusters) between the line's start (past a byte order mark) and it.
    static func place(in file: UnsafeBufferPointer<UInt8>, offset: Int, line: Int) -> Place {
        var lineStart = offset
        while lineStart > 0, file[lineStart - 1] != UInt8(ascii: "\n"), file[lineStart - 1] != UInt8(ascii: "\r") {
            lineStart -= 1
        }
        if lineStart == 0, file.starts(with: [0xEF, 0xBB, 0xBF]) { lineStart = min(3, offset) }
        let before = String(decoding: UnsafeBufferPointer(rebasing: file[lineStart..<offset]), as: UTF8.self)
        return Place(line: line, column: before.count + 1)
    }

    /// The bytes of the UTF-8 character that starts at `offset` (at most 4, within the file).
    static func characterBytes(in file: UnsafeBufferPointer<UInt8>, at offset: Int) -> UnsafeBufferPointer<UInt8> {
        let lead = file[offset]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return UnsafeBufferPointer(rebasing: file[offset..<min(offset + length, file.count)])
    }
}
