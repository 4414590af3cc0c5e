/// A CSV file, read in one pass over its bytes (RFC 4180, with the leniencies listed here).
///
/// - Fields are separated by commas; rows end at LF, CRLF or CR outside quotes. A UTF-8
///   byte order mark at the start is skipped.
/// - Spaces and tabs before a field are skipped (also before an opening quote); the rest of
///   an unquoted field, trailing blanks included, is its value.
/// - A field that starts with `"` is quoted: it ends at the next lone `"`, `""` inside it is
///   one quote, and it may hold commas and line breaks. Only spaces and tabs may follow the
///   closing quote before the comma or the line end.
/// - Errors: text after a closing quote, a quote inside an unquoted field, a quoted field
///   not closed at the end of the file; each at its line and column.
/// - A last row without a final line break is read like any other; a row that ends with a
///   comma has an empty last field.
///
/// Why nnrun reads CSV itself instead of through a library: [performance.md](../../Docs/performance.md#reading-data-files).
///
/// A row is handed to a closure as a `CSVRow`, a view of the file's bytes valid only during
/// the call, so nothing is copied per row or per field: a number is parsed from the field's
/// bytes, and a field becomes a `String` only when asked for (a header, a class label, a
/// message). Where a field is (line and column) is worked out only when asked for, from the
/// row's first line and byte offset: the cost falls on errors, not on every row.
public struct CSVFile: Sendable {
    private let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Calls `body` with each row in order, the header first, until it returns false; stops
    /// at the first syntax error, which it throws.
    public func forEachRow(_ body: (CSVRow) -> Bool) throws(CSVSyntaxError) {
        let bytes = self.bytes
        try bytes.withUnsafeBufferPointer { (file: UnsafeBufferPointer<UInt8>) throws(CSVSyntaxError) in
            var scanner = CSVScanner(file: file)
            var fields: [CSVRow.Field] = []
            fields.reserveCapacity(64)
            while let row = try scanner.nextRow(into: &fields), body(row) {}
        }
    }
}

/// Why a file is not valid CSV, and where: `line` and `column` count from 1, columns in
/// characters.
public struct CSVSyntaxError: Error, Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var message: String
    public var fix: String
}

/// The byte scan behind `CSVFile.forEachRow`: one row per call, its fields' byte ranges
/// written into a buffer the caller keeps from row to row.
private struct CSVScanner {
    static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lineFeed = UInt8(ascii: "\n"),
               carriageReturn = UInt8(ascii: "\r"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    let file: UnsafeBufferPointer<UInt8>
    /// The next byte to read: past a byte order mark at first.
    var position: Int
    /// The line `position` is on, counting from 1.
    var line = 1

    init(file: UnsafeBufferPointer<UInt8>) {
        self.file = file
        position = file.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The next row, or nil at the end of the file.
    mutating func nextRow(into fields: inout [CSVRow.Field]) throws(CSVSyntaxError) -> CSVRow? {
        guard position < file.count else { return nil }
        fields.removeAll(keepingCapacity: true)
        let start = position, firstLine = line
        while true {
            skipBlanks()
            if position < file.count, file[position] == Self.quote {
                fields.append(try quotedField())
            } else {
                fields.append(try unquotedField())
            }
            guard position < file.count else { break }
            if file[position] == Self.comma {
                position += 1
                continue
            }
            // A line end: CRLF is one.
            let end = position
            position += file[position] == Self.carriageReturn && position + 1 < file.count
                && file[position + 1] == Self.lineFeed ? 2 : 1
            line += 1
            return CSVRow(file: file, fields: fields, line: firstLine, start: start, end: end)
        }
        return CSVRow(file: file, fields: fields, line: firstLine, start: start, end: position)
    }

    private mutating func skipBlanks() {
        while position < file.count, file[position] == Self.space || file[position] == Self.tab { position += 1 }
    }

    /// From `position` to the next comma or line end.
    private mutating func unquotedField() throws(CSVSyntaxError) -> CSVRow.Field {
        let start = position
        while position < file.count {
            let byte = file[position]
            if byte == Self.comma || byte == Self.lineFeed || byte == Self.carriageReturn { break }
            if byte == Self.quote {
                throw error(at: position, "a quote inside a field that does not start with one",
                            fix: "quote the whole field and double the quotes inside it: \"a \"\"b\"\" c\"")
            }
            position += 1
        }
        return CSVRow.Field(start: start, end: position, quoted: false, hasDoubledQuotes: false)
    }

    /// From the opening quote at `position` past the closing one and the blanks after it.
    private mutating func quotedField() throws(CSVSyntaxError) -> CSVRow.Field {
        let opening = position
        let openingLine = line
        position += 1
        var doubled = false
        while true {
            guard position < file.count else {
                line = openingLine
                throw error(at: opening, "the quoted field that starts here is not closed before the end of the file",
                            fix: "add the closing quote; a quote inside a quoted field is written twice (\"\")")
            }
            let byte = file[position]
            if byte == Self.quote {
                guard position + 1 < file.count, file[position + 1] == Self.quote else { break }
                doubled = true
                position += 2
                continue
            }
            // A line break inside the quotes: the line count goes on (CRLF counts at its LF).
            if byte == Self.lineFeed
                || (byte == Self.carriageReturn && !(position + 1 < file.count && file[position + 1] == Self.lineFeed)) {
                line += 1
            }
            position += 1
        }
        let field = CSVRow.Field(start: opening + 1, end: position, quoted: true, hasDoubledQuotes: doubled)
        position += 1  // the closing quote
        skipBlanks()
        if position < file.count {
            let byte = file[position]
            if byte != Self.comma && byte != Self.lineFeed && byte != Self.carriageReturn {
                let found = String(decoding: CSVRow.characterBytes(in: file, at: position), as: UTF8.self)
                throw error(at: position, "'\(found)' after the closing quote of a field",
                            fix: "a quoted field ends at its closing quote; to put a quote inside it, write it twice (\"\")")
            }
        }
        return field
    }

    private func error(at offset: Int, _ message: String, fix: String) -> CSVSyntaxError {
        let place = CSVRow.place(in: file, offset: offset, line: line)
        return CSVSyntaxError(line: place.line, column: place.column, message: message, fix: fix)
    }
}
