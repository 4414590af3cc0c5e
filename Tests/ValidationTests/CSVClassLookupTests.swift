import Foundation
import TestSupport
@testable import Validation
import XCTest

/// A CSV label is looked up among the listed classes by its bytes (binary search over the
/// classes sorted by bytes), then by String equality. The expected one-hot targets are the
/// listed order, written out by hand: each label's position in `classes`.
final class CSVClassLookupTests: XCTestCase {
    func testLabelsFindTheirListedClassWhateverTheBytesOrder() throws {
        // Listed out of byte order, with classes that are prefixes of each other.
        let classes = ["b", "ab", "a", "ba", "aa", "\u{E9}"]   // é composed
        let labels = ["a", "aa", "ab", "b", "ba", " ab ", "e\u{301}", "\u{E9}"]   // a padded label; é decomposed and composed
        let expected = [2, 4, 1, 0, 3, 1, 5, 5]
        let csv = "x,label\n" + labels.enumerated().map { "\($0.offset),\($0.element)" }.joined(separator: "\n") + "\n"
        let listed = classes.map { "'\($0)'" }.joined(separator: ", ")
        let outcome = try DataConveniencesTests.validateClassifier(csv: csv, units: classes.count,
                                                                   oneHot: "{column: label, classes: [\(listed)]}")
        let samples = try XCTUnwrap(outcome.validated?.samples, outcome.summaries.joined(separator: "\n"))
        XCTAssertEqual(samples.count, labels.count)
        for (index, sample) in samples.enumerated() {
            let oneHot = classes.indices.map { $0 == expected[index] ? 1.0 : 0.0 }
            XCTAssertEqual(sample.targets, oneHot, "label '\(labels[index])'")
        }
    }

    /// The byte lookup alone (the rows' fast path): every listed class by its exact bytes, and
    /// nothing for bytes no class has, including a padded label and the decomposed é, which
    /// the String comparison after it resolves.
    func testTheByteLookupFindsExactlyTheListedBytes() {
        let classes = ["b", "ab", "a", "ba", "aa", "\u{E9}", "b"]   // "b" listed twice: its first index
        let columns = Validator.CSVColumns(header: [], inputs: [], targets: [], label: 0, classes: classes, binary: false)
        let found = ["a": 2, "aa": 4, "ab": 1, "b": 0, "ba": 3, "\u{E9}": 5]
        for (label, index) in found { XCTAssertEqual(columns.classIndex(ofBytes: Array(label.utf8)), index, label) }
        for label in ["", "abc", "c", " ab ", "e\u{301}", "B", "aaa", "bb"] {
            XCTAssertNil(columns.classIndex(ofBytes: Array(label.utf8)), label)
        }
    }

    func testALabelNoListedClassHasIsALocatedError() throws {
        let outcome = try DataConveniencesTests.validateClassifier(csv: "x,label\n0,a\n1,abc\n", units: 2,
                                                                   oneHot: "{column: label, classes: [a, ab]}")
        XCTAssertNil(outcome.validated)
        XCTAssertTrue(outcome.summaries.contains { $0.contains("d.csv:3:3") && $0.contains("'abc'") }, outcome.summaries.joined(separator: "\n"))
    }
}
