import Foundation
import Validation
import XCTest

/// CSV rows as SwiftCSV splits them: quoting respected, every row with the header's number
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
