import Foundation
import Validation
import XCTest

/// CSV rows as `CSVFile` splits them: quoting respected, every row with the header's number
/// of fields, problems placed at FILE:LINE:COLUMN of the CSV file.
final class CSVRowTests: XCTestCase {
    static let spec = """
        nnrun: 1
        name: csv
        model:
          inputs: 2
          layers:
            - {name: out, units: 1, activation: linear, weights: [[0.1, 0.1]]}
        data: {csv: d.csv, inputs: [x1, x2], targets: [y]}
        training: {loss: mse, learning_rate: 0.1, steps: 1}
        """

    static func validate(_ csv: String) -> NpyDataTests.Outcome {
        NpyDataTests.validate(spec, files: ["d.csv": Array(csv.utf8)])
    }

    /// Quoted commas and line breaks stay inside their field; blank lines are skipped; the
    /// last row is read whole without a final line break.
    func testQuotedFieldsBlankLinesAndALastRowWithoutLineBreakAreRead() {
        let read = Self.validate("x1,x2,y,note\n1,2,3,\"a, b\"\n\n4,5,6,\"two\nlines\"\n7, 8 ,9,")
        XCTAssertEqual(read.summaries, [])
        XCTAssertEqual(read.samples?.map(\.inputs), [[1, 2], [4, 5], [7, 8]])
        XCTAssertEqual(read.samples?.map(\.targets), [[3], [6], [9]])
    }

    /// Line 2 has 2 fields: the missing one would go at column 4, after "1,2". Line 5 (the
    /// quoted line break makes row 3 two lines long) has 4: the extra one starts at column 7.
    func testRowsWithMissingOrExtraFieldsNameTheirLineAndColumn() {
        let outcome = Self.validate("x1,x2,y\n1,2\n3,4,\"5\n\"\n6,7,8,9\n")
        XCTAssertEqual(outcome.summaries, [
            "7:13: error[NN4008]: data.csv: d.csv:2:4: the row has 2 fields, the header has 3 ('x1', 'x2', 'y')",
            "7:13: error[NN4008]: data.csv: d.csv:3:5: field 3 ('y'): expected a number, found '5\n'",
            "7:13: error[NN4008]: data.csv: d.csv:5:7: the row has 4 fields, the header has 3 ('x1', 'x2', 'y'); field 4 is '9'",
        ])
        XCTAssertNil(outcome.samples)
    }
}

/// The reader's own rules (Sources/DataFiles/CSVFile.swift): RFC 4180 quoting, LF, CRLF and
/// CR line ends, a byte order mark, and syntax errors at their line and column.
final class CSVSyntaxTests: XCTestCase {
    func testCRLFAndCRLineEndsAndAByteOrderMarkReadLikeLF() {
        let lf = CSVRowTests.validate("x1,x2,y\n1,2,3\n4,5,6\n")
        let crlf = CSVRowTests.validate("\u{FEFF}x1,x2,y\r\n1,2,3\r\n4,5,6\r\n")
        let cr = CSVRowTests.validate("x1,x2,y\r1,2,3\r4,5,6")
        XCTAssertEqual(lf.samples?.map(\.inputs), [[1, 2], [4, 5]])
        XCTAssertEqual(crlf.samples, lf.samples)
        XCTAssertEqual(cr.samples, lf.samples)
    }

    /// Line 3 starts inside the quoted field of line 2 (a CRLF in quotes counts once); the
    /// bad field is the 'x' after `"b"`; columns count characters, so 'é' is one. The rows
    /// before a syntax error are checked too.
    func testTextAfterAClosingQuoteIsPlacedAfterQuotedLineBreaksAndWideCharacters() {
        let outcome = CSVRowTests.validate("x1,x2,y\n1,2,\"a\r\nb\"\n\"é\",2,\"b\"x\n")
        XCTAssertEqual(outcome.summaries, [
            "7:13: error[NN4008]: data.csv: d.csv:2:5: field 3 ('y'): expected a number, found 'a\r\nb'",
            "7:13: error[NN4006]: data.csv: d.csv:4:10: not valid CSV: 'x' after the closing quote of a field",
        ])
    }

    func testAQuoteInsideAnUnquotedFieldAndAnUnclosedQuoteAreSyntaxErrors() {
        XCTAssertEqual(CSVRowTests.validate("x1,x2,y\n1,2\"5,3\n").summaries, [
            "7:13: error[NN4006]: data.csv: d.csv:2:4: not valid CSV: a quote inside a field that does not start with one",
        ])
        XCTAssertEqual(CSVRowTests.validate("x1,x2,y\n1,2,3\n4, \"5,6\n7,8,9\n").summaries, [
            "7:13: error[NN4006]: data.csv: d.csv:3:4: not valid CSV: the quoted field that starts here is not closed before the end of the file",
        ])
    }

    /// `""` inside quotes is one quote; a quoted number is a number, as it was with SwiftCSV.
    func testDoubledQuotesAreOneQuoteAndAQuotedNumberIsANumber() {
        let outcome = CSVRowTests.validate("x1,x2,y,note\n\"1\", \"2\" ,3,\"say \"\"hi\"\"\"\n")
        XCTAssertEqual(outcome.summaries, [])
        XCTAssertEqual(outcome.samples?.map(\.inputs), [[1, 2]])
    }
}
