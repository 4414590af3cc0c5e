import Foundation
import Results
import XCTest

/// `ResultsDiff`: what `--ignore` leaves out and what is a note rather than a difference.
final class ResultsDiffTests: XCTestCase {
    private func results(_ body: String) throws -> JSONValue {
        try JSONValue.parse(Data("{\"format\": \"nnrun.results/1\", \(body)}".utf8))
    }

    /// An ignored path covers its members (`.key`) and elements (`[i]`), not a longer key
    /// that starts with the same letters.
    func testIgnoredPathCoversItsMembersAndElementsOnly() throws {
        let left = try results(#""final": {"loss": 1, "loss_terms": [1, 2], "layers": [{"w": [1, 2]}, {"w": [3]}]}"#)
        let right = try results(#""final": {"loss": 2, "loss_terms": [1, 3], "layers": [{"w": [1, 5]}, {"w": [4]}]}"#)
        let comparison = try ResultsDiff(ignoring: ["final.loss", "final.layers[0]"]).compare(left, right)
        XCTAssertEqual(Set(comparison.differences.map(\.path)), ["final.loss_terms[1]", "final.layers[1].w[0]"])
        XCTAssertEqual(comparison.unmatchedIgnored, [])
    }

    /// A member only one file has is left out too when ignored; a path neither file has is
    /// reported back as unmatched.
    func testIgnoredMissingMemberAndUnmatchedPath() throws {
        let left = try results(#""steps": 1, "divergence": {"step": 1}"#)
        let right = try results(#""steps": 1"#)
        XCTAssertEqual(try ResultsDiff().compare(left, right).differences.map(\.line), ["divergence: an object vs (missing)"])
        let comparison = try ResultsDiff(ignoring: ["divergence", "final.lose"]).compare(left, right)
        XCTAssertEqual(comparison.differences, [])
        XCTAssertEqual(comparison.unmatchedIgnored, ["final.lose"])
    }

    /// --common-sections: a top-level member only one file has is a note, in either
    /// direction; a key missing inside a member both have is still a difference, and the
    /// members both have are compared as usual.
    func testCommonSectionsLeavesOutTopLevelMembersOnlyOneFileHas() throws {
        let left = try results(#""steps": 2, "final": {"loss": 1, "accuracy": 0.5}, "trace": [], "checks": [1]"#)
        let right = try results(#""steps": 3, "final": {"loss": 1}, "math_version": 1"#)
        XCTAssertEqual(Set(try ResultsDiff().compare(left, right).differences.map(\.path)),
                       ["steps", "final.accuracy", "trace", "checks", "math_version"])
        let comparison = try ResultsDiff(commonSectionsOnly: true).compare(left, right)
        XCTAssertEqual(Set(comparison.differences.map(\.path)), ["steps", "final.accuracy"])
        XCTAssertEqual(comparison.notes.map(\.noteLine), [
            "note: trace: a list of 0 vs (missing) (\(ResultsDiff.onlyInOneFile))",
            "note: checks: a list of 1 vs (missing) (\(ResultsDiff.onlyInOneFile))",
            "note: math_version: (missing) vs 1 (\(ResultsDiff.onlyInOneFile))",
        ])
    }

    /// spec.path is where the spec was read from: a note. spec.sha256 is the spec: a difference.
    func testSpecPathIsANoteAndTheHashADifference() throws {
        let left = try results(#""spec": {"name": "x", "path": "my/x.yaml", "sha256": "aa"}"#)
        let right = try results(#""spec": {"name": "x", "path": "x.yaml", "sha256": "bb"}"#)
        let comparison = try ResultsDiff().compare(left, right)
        XCTAssertEqual(comparison.notes.map(\.noteLine),
                       [#"note: spec.path: "my/x.yaml" vs "x.yaml" (where the spec was read from; spec.sha256 identifies the spec)"#])
        XCTAssertEqual(comparison.differences.map(\.line), [#"spec.sha256: "aa" vs "bb""#])
    }

    func testPathSyntax() {
        for path in ["spec.path", "trace", "trace[2]", "final.layers[0].weights[1][0]", "history.validation_loss"] {
            XCTAssertTrue(ResultsDiff.isPath(path), path)
        }
        for path in ["", "$.spec", "/spec/path", "spec..path", "trace[-1]", "trace[x]", ".spec", "spec.", "final.layers[0]x"] {
            XCTAssertFalse(ResultsDiff.isPath(path), path)
        }
    }
}
