import DataFiles
import Foundation
import TestSupport
import XCTest

/// `CSVFile` splits rows and fields as Python's `csv` module does (RFC 4180 as
/// `csv.reader(..., strict=True, skipinitialspace=True)` reads it, the file decoded as
/// `utf-8-sig` with `newline=''`), on generated files full of the cases that go wrong:
/// quoted commas, quotes and line breaks, doubled quotes, empty and quoted-empty fields,
/// short rows, LF, CRLF and CR line ends (also inside quotes), blank lines, a byte order
/// mark, a last row with and without a line end, spaces before fields and before opening
/// quotes; and broken files: text after a closing quote, a quoted field never closed.
///
/// Where the two readers differ on purpose (`CSVFile`'s doc): nnrun also skips tabs before
/// a field and accepts blanks after a closing quote, and it refuses a quote inside an
/// unquoted field, which Python keeps as a character. The generator writes neither tabs
/// nor blanks after quotes; a stray quote inside an unquoted field is checked to be an
/// error for nnrun alone. An empty line is a row of no fields for Python, and a row nnrun
/// skips (`CSVRow.isBlank`): both are compared as no fields. A line of only spaces is a
/// blank row for nnrun too, and one empty field for Python: the generator writes none.
final class CSVAgainstPythonTests: XCTestCase {
    /// Python's reading of each file: its rows, or nil where `csv` raised an error.
    private static let pythonReader = """
        import base64, csv, io, json, sys
        out = []
        for text in json.load(open(sys.argv[1])):
            data = base64.b64decode(text).decode("utf-8-sig")
            try:
                out.append(list(csv.reader(io.StringIO(data, newline=""), strict=True, skipinitialspace=True)))
            except csv.Error:
                out.append(None)
        json.dump(out, open(sys.argv[2], "w"))
        """

    private enum Reading: Equatable {
        case rows([[String]])
        case error
    }

    private func nnrunReading(_ bytes: [UInt8]) -> Reading {
        var rows: [[String]] = []
        do {
            try CSVFile(bytes).forEachRow { row in
                rows.append(row.isBlank ? [] : (0..<row.count).map { row.text($0) })
                return true
            }
        } catch {
            return .error
        }
        return .rows(rows)
    }

    private func pythonReadings(_ files: [[UInt8]]) throws -> [Reading] {
        let folder = try NnrunProcess.temporaryFolder()
        let input = folder.appendingPathComponent("files.json"), output = folder.appendingPathComponent("rows.json")
        try JSONSerialization.data(withJSONObject: files.map { Data($0).base64EncodedString() }).write(to: input)
        let env = URL(fileURLWithPath: "/usr/bin/env")
        try requirePython("import csv", else: "python3 is needed to compare CSV reading with Python's csv module")
        let run = try NnrunProcess.run(["python3", "-c", Self.pythonReader, input.path, output.path], executable: env)
        XCTAssertEqual(run.status, 0, run.stderr)
        let decoded = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [Any])
        return decoded.map { value in
            guard let rows = value as? [[String]] else { return .error }
            return .rows(rows)
        }
    }

    /// One field's value: plain text, a number, empty, or text that needs quoting.
    private func value(_ random: inout SystemRandomNumberGenerator) -> String {
        let plain = Array("abcxyz0189.-_é")
        let special = Array("abc,\"\n\r ")
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return ""
        case 1: return String(Double.random(in: -1000...1000, using: &random))
        case 2, 3: return String((0..<Int.random(in: 1...6, using: &random)).map { _ in plain.randomElement(using: &random)! })
        default:
            var text = String((0..<Int.random(in: 1...6, using: &random)).map { _ in special.randomElement(using: &random)! })
            if text.hasPrefix(" ") { text = "a" + text }   // leading spaces are skipped (by both)
            return text
        }
    }

    /// A file of rows of 1 to 4 fields, each quoted when it must be and often when it
    /// need not, with random line ends, blank lines, a byte order mark, spaces before fields.
    private func file(_ random: inout SystemRandomNumberGenerator) -> String {
        let lineEnds = ["\n", "\r\n", "\r"]
        var text = Bool.random(using: &random) ? "\u{FEFF}" : ""
        let rows = Int.random(in: 1...5, using: &random)
        for row in 0..<rows {
            var fields: [String] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let field = value(&random)
                // By bytes: "\r\n" is one Character, equal to neither "\r" nor "\n".
                let mustQuote = field.utf8.contains(where: { Array(",\"\n\r".utf8).contains($0) })
                var written = mustQuote || Int.random(in: 0..<4, using: &random) == 0
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
                if Int.random(in: 0..<5, using: &random) == 0 { written = "  " + written }
                fields.append(written)
            }
            // A row of one empty unquoted field would be a blank line (see above): quote it.
            if fields.count == 1, fields[0].allSatisfy({ $0 == " " }) { fields = ["\"\""] }
            text += fields.joined(separator: ",")
            if row < rows - 1 || Bool.random(using: &random) { text += lineEnds.randomElement(using: &random)! }
            if row < rows - 1, Int.random(in: 0..<6, using: &random) == 0 { text += lineEnds.randomElement(using: &random)! }
        }
        return text
    }

    /// Breaks a file the way both readers refuse: text right after a closing quote, or an
    /// opening quote never closed.
    private func broken(_ text: String, _ random: inout SystemRandomNumberGenerator) -> String {
        Bool.random(using: &random) ? text + "\n\"ab\"c,d" : text + "\n\"never closed,d"
    }

    func testFieldsAndRowsAreSplitAsPythonsCSVModuleSplitsThem() throws {
        var random = SystemRandomNumberGenerator()
        var texts: [String] = []
        for _ in 0..<3_000 { texts.append(file(&random)) }
        for _ in 0..<300 { texts.append(broken(file(&random), &random)) }
        let files = texts.map { Array($0.utf8) }
        let python = try pythonReadings(files)
        XCTAssertEqual(python.count, files.count)
        var errors = 0
        for (index, bytes) in files.enumerated() where index < python.count {
            let ours = nnrunReading(bytes)
            XCTAssertEqual(ours, python[index], "\(texts[index].debugDescription)")
            if ours == .error { errors += 1 }
        }
        XCTAssertEqual(errors, 300, "every broken file, and only those, is an error for both")
    }

    /// The one quoting rule nnrun keeps stricter than Python: a quote inside an unquoted
    /// field is an error (Python keeps it), so that `5"` is not read as a label `5"`.
    func testAQuoteInsideAnUnquotedFieldIsAnErrorForNnrunAlone() throws {
        let texts = ["a,b\"c\n", "x,y\n1,2\"\n"]
        let files = texts.map { Array($0.utf8) }
        let python = try pythonReadings(files)
        XCTAssertEqual(python, [.rows([["a", "b\"c"]]), .rows([["x", "y"], ["1", "2\""]])])
        XCTAssertEqual(files.map(nnrunReading), [.error, .error])
    }
}
