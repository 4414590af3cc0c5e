/// Where a CSV file's rows and fields are, for messages that name a line and column.
///
/// SwiftCSV reads the fields (quoting, doubled quotes, line breaks inside quotes) but not
/// their places, so the places are recovered from what it does give: a row's first line is
/// the line after the previous row's last, and a row spans one line plus the line breaks
/// inside its quoted fields. A field's column is found by walking the row's own text from
/// its first line, counting the commas outside quotes, which is the rule SwiftCSV splits
/// by. Lines end at LF, CRLF or CR, as for the parser; columns count characters, from 1.
struct CSVLocator {
    struct Place: CustomStringConvertible {
        var line: Int
        var column: Int
        var description: String { "\(line):\(column)" }
    }

    private let text: String
    /// Where each line starts (index 0 is line 1).
    private let lineStarts: [String.Index]

    init(_ text: String) {
        self.text = text
        var starts = [text.startIndex]
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if text[index].isNewline { starts.append(next) }
            index = next
        }
        lineStarts = starts
    }

    /// The lines a row read by SwiftCSV takes: one, plus the line breaks inside its fields.
    static func lineCount(of fields: [String]) -> Int {
        1 + fields.reduce(0) { $0 + $1.reduce(0) { $0 + ($1.isNewline ? 1 : 0) } }
    }

    /// Where field `field` (counted from 0) of the row starting on `line` begins, past the
    /// spaces and tabs SwiftCSV skips; for a field beyond the row's last, the row's end
    /// (where the missing field would be written).
    func place(ofField field: Int, inRowAt line: Int) -> Place {
        guard line >= 1, line <= lineStarts.count else { return Place(line: line, column: 1) }
        var place = Place(line: line, column: 1)
        var index = lineStarts[line - 1]
        var fieldsPassed = 0
        var quoted = false
        func skipBlanks() {
            while index < text.endIndex, text[index] == " " || text[index] == "\t" {
                index = text.index(after: index)
                place.column += 1
            }
        }
        if field == 0 { skipBlanks(); return place }
        while index < text.endIndex {
            let character = text[index]
            if character.isNewline && !quoted { return place }
            index = text.index(after: index)
            if character.isNewline {
                place.line += 1
                place.column = 1
                continue
            }
            place.column += 1
            if character == "\"" {
                quoted.toggle()
            } else if character == ",", !quoted {
                fieldsPassed += 1
                if fieldsPassed == field { skipBlanks(); return place }
            }
        }
        return place
    }
}
