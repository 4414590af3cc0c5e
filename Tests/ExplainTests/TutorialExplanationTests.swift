import Foundation
import TestSupport
import XCTest

/// `nnrun explain specs/tutorial.yaml` against the tutorial's own figures, and the
/// golden pages (whose numbers these tests check against the tutorial).
final class TutorialExplanationTests: XCTestCase {
    private static let textRun = Result { try NnrunProcess.run(["explain", Repository.file("specs/tutorial.yaml").path, "--format", "text"]) }
    private static let markdownRun = Result { try NnrunProcess.run(["explain", Repository.file("specs/tutorial.yaml").path]) }

    private func text() throws -> String {
        let output = try Self.textRun.get()
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout
    }

    /// The value after the last " = " of the displayed equation that starts with `start`.
    private func result(of start: String, in page: String, file: StaticString = #filePath, line: UInt = #line) throws -> Double {
        let equation = try XCTUnwrap(page.split(separator: "\n").first { $0.hasPrefix("    " + start) },
                                     "no equation starts with '\(start)'", file: file, line: line)
        let last = try XCTUnwrap(equation.components(separatedBy: " = ").last)
        return try XCTUnwrap(Double(last), "'\(last)' is not a number", file: file, line: line)
    }

    /// The equation's final value, rounded to the digits the tutorial prints, is the tutorial's figure.
    private func assertShows(_ start: String, _ printed: String, in page: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let value = try result(of: start, in: page, file: file, line: line)
        XCTAssertEqual(Printed.rounded(value, like: printed), printed, "\(start)... shows \(value)", file: file, line: line)
    }

    func testEveryStepOneNumberOfTheTutorialIsShownWithItsDigits() throws {
        let page = try text()
        XCTAssertTrue(page.contains("    net_h1 = 0.15 * 0.05 + 0.2 * 0.1 + 0.35 * 1 = 0.3775\n"), "net_h1 written term by term")
        try assertShows("net_h1 = 0.15", "0.3775", in: page)
        try assertShows("out_h1 = ", "0.593269992", in: page)
        try assertShows("out_h2 = ", "0.596884378", in: page)
        try assertShows("net_o1 = 0.4", "1.105905967", in: page)
        try assertShows("out_o1 = ", "0.75136507", in: page)
        try assertShows("out_o2 = ", "0.772928465", in: page)
        try assertShows("E_o1 = ", "0.274811083", in: page)
        try assertShows("E_o2 = ", "0.023560026", in: page)
        try assertShows("E_total = ", "0.298371109", in: page)
        try assertShows("dE_total/dout_o1 = ", "0.74136507", in: page)
        try assertShows("dout_o1/dnet_o1 = ", "0.186815602", in: page)
        try assertShows("dE_total/dw5 = 0.74136507 * 0.186815602 * 0.593269992", "0.082167041", in: page)
        try assertShows("dE_total/dw5 = delta_o1", "0.082167041", in: page)
        try assertShows("delta_o1 = ", "0.138498562", in: page)
        try assertShows("dE_total/dout_h1 = ", "0.036350306", in: page)
        try assertShows("dout_h1/dnet_h1 = ", "0.241300709", in: page)
        try assertShows("dE_total/dw1 = delta_h1", "0.000438568", in: page)
        // The terms of dE_total/dout_h1: the tutorial's 0.055399425 and (the errata in Docs/tutorial.md) -0.019049118.
        XCTAssertTrue(page.contains(" = 0.055399425 + (-0.019049118) = 0.036350306\n"))
        for (symbol, printed) in [("w1+", "0.149780716"), ("w2+", "0.19956143"), ("w3+", "0.24975114"), ("w4+", "0.29950229"),
                                  ("w5+", "0.35891648"), ("w6+", "0.408666186"), ("w7+", "0.511301270"), ("w8+", "0.561370121")] {
            try assertShows("\(symbol) = ", printed, in: page)
        }
        // The training-set loss before the step (the tutorial's 0.298371109) and after it (the errata in Docs/tutorial.md: 0.291027774 deferred).
        XCTAssertTrue(page.contains("    E_train: 0.298371109 -> 0.291027774   (change -0.007343335)\n"), "the error after the update")
        XCTAssertTrue(page.contains("The tutorial prints 0.291027924 here."))
    }

    func testPublishedOrderingExplainsWhereUpdatedWeightsEnter() throws {
        let output = try NnrunProcess.run(["explain", Repository.file("specs/tutorial-published.yaml").path, "--format", "text"])
        XCTAssertEqual(output.status, 0)
        XCTAssertTrue(output.stdout.contains("dE_total/dout_h1 = delta_o1 * w5+ + delta_o2 * w7+ = 0.138498562 * 0.35891648 + (-0.038098237) * 0.51130127"))
        XCTAssertTrue(output.stdout.contains("This is the ordering behind the tutorial's published 0.291027924"))
        XCTAssertTrue(output.stdout.contains("    E_train: 0.298371109 -> 0.291027924   (change -0.007343185)\n"))
    }

    func testMarkdownUsesGitHubMath() throws {
        let output = try Self.markdownRun.get()
        XCTAssertEqual(output.status, 0)
        XCTAssertTrue(output.stdout.contains("$$\nnet_{h_{1}} = 0.15 \\cdot 0.05 + 0.2 \\cdot 0.1 + 0.35 \\cdot 1 = 0.3775\n$$"))
        XCTAssertTrue(output.stdout.contains("$$\nout_{h_{1}} = \\frac{1}{1+e^{-net_{h_{1}}}} = \\frac{1}{1+e^{-0.3775}} = 0.593269992\n$$"))
        XCTAssertTrue(output.stdout.contains("| $w_{6}$ | weight h2 -> o1 | output.weights[0][1] | $0.45$ |"), "the legend")
    }

    /// Golden pages: their numbers are the ones the test above checks against the tutorial.
    func testGoldenPages() throws {
        for (run, name) in [(Self.textRun, "tutorial.txt"), (Self.markdownRun, "tutorial.md")] {
            let golden = try String(contentsOf: Repository.file("Tests/ExplainTests/Golden/\(name)"), encoding: .utf8)
            let output = try run.get().stdout
            XCTAssertEqual(output, golden, "\(name) differs; if the change is intended, check the numbers and regenerate")
        }
    }
}
