import Foundation
import TestSupport
import XCTest

/// `nnrun draw`: the tutorial's picture with the tutorial's numbers, values from a results
/// file, large layers collapsed, and the same bytes every time.
final class NetworkDiagramTests: XCTestCase {
    private func draw(_ arguments: [String]) throws -> String {
        let output = try NnrunProcess.run(["draw"] + arguments)
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout
    }

    /// The texts of the SVG's `<text>` elements with the given class.
    private func texts(_ svg: String, class name: String) -> [String] {
        guard let pattern = try? NSRegularExpression(pattern: "<text class=\"\(name)\"[^>]*>([^<]*)</text>") else { return [] }
        return pattern.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).compactMap {
            Range($0.range(at: 1), in: svg).map { String(svg[$0]) }
        }
    }

    /// `symbol = value` labels as a dictionary.
    private func labelled(_ svg: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for label in texts(svg, class: "nn-label") + texts(svg, class: "nn-bias-caption") {
            let parts = label.components(separatedBy: " = ")
            if parts.count == 2, let value = Double(parts[1].replacingOccurrences(of: " (fixed)", with: "")) { values[parts[0]] = value }
        }
        return values
    }

    func testTheTutorialsDiagramShowsW1ToW8AndB1B2WithTheTutorialsValues() throws {
        let svg = try draw([Repository.file("specs/tutorial.yaml").path])
        // The tutorial's figure: w1 = .15, w2 = .20, w3 = .25, w4 = .30, w5 = .40, w6 = .45,
        // w7 = .50, w8 = .55, b1 = .35, b2 = .60.
        let expected: [String: Double] = ["w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45,
                                          "w7": 0.50, "w8": 0.55, "b1": 0.35, "b2": 0.60]
        XCTAssertEqual(labelled(svg), expected, svg)
        XCTAssertEqual(Set(texts(svg, class: "nn-symbol")), ["i1", "i2", "h1", "h2", "o1", "o2", "1"])
        XCTAssertEqual(svg.components(separatedBy: "<circle class=\"nn-unit\"").count - 1, 6, "six units")
        XCTAssertEqual(svg.components(separatedBy: "<circle class=\"nn-bias\"").count - 1, 2, "one node per shared bias")
        XCTAssertEqual(texts(svg, class: "nn-note").filter { $0.hasPrefix("sigmoid") }.count, 2, "the activation of each layer")
    }

    func testTheWeightsAfterATracedStepAreTheTutorialsUpdatedWeights() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let results = folder.appendingPathComponent("tutorial.results.json")
        let run = try NnrunProcess.run([Repository.file("specs/tutorial.yaml").path, "-o", results.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let values = labelled(try draw([Repository.file("specs/tutorial.yaml").path, "--results", results.path, "--step", "1"]))
        // The tutorial's updated weights after its first step (w5+ ... w8+ and w1+ ... w4+).
        for (symbol, printed) in [("w1", "0.149780716"), ("w2", "0.19956143"), ("w3", "0.24975114"), ("w4", "0.29950229"),
                                  ("w5", "0.35891648"), ("w6", "0.408666186"), ("w7", "0.511301270"), ("w8", "0.561370121")] {
            let value = try XCTUnwrap(values[symbol], symbol)
            XCTAssertEqual(Printed.rounded(value, like: printed), printed, symbol)
        }
        XCTAssertEqual(values["b1"], 0.35, "the tutorial holds its biases fixed")
        let missing = try NnrunProcess.run(["draw", Repository.file("specs/tutorial.yaml").path, "--results", results.path, "--step", "2"])
        XCTAssertEqual(missing.status, 65)
        XCTAssertTrue(missing.stderr.contains("step 2 is not traced (traced: 1)"), missing.stderr)
    }

    func testA784By512By512By10NetworkCollapsesItsLargeLayers() throws {
        // specs/bench/w4.yaml's model, with one inline sample in place of its generated .npy data.
        let source = try String(contentsOf: Repository.file("specs/bench/w4.yaml"), encoding: .utf8)
        let data = try XCTUnwrap(source.range(of: "data:\n"))
        let training = try XCTUnwrap(source.range(of: "\ntraining:"))
        let sample = "data:\n  - {inputs: [\(Array(repeating: "0.5", count: 784).joined(separator: ", "))], targets: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]}\n"
        let spec = try NnrunProcess.temporaryFolder().appendingPathComponent("w4.yaml")
        try source.replacingCharacters(in: data.lowerBound..<training.lowerBound, with: sample)
            .replacing(exactlyOnce: "  batch: 128", with: "  batch: 1").write(to: spec, atomically: true, encoding: .utf8)
        let svg = try draw([spec.path])
        // Every column has more than 8 units: 3 first, an ellipsis, 2 last.
        XCTAssertEqual(svg.components(separatedBy: "<circle class=\"nn-unit\"").count - 1, 4 * 5)
        XCTAssertEqual(texts(svg, class: "nn-ellipsis").count, 4)
        let notes = texts(svg, class: "nn-note")
        XCTAssertTrue(notes.contains("784 inputs, 5 shown"), "\(notes)")
        XCTAssertTrue(notes.contains("512 \u{D7} 784 weights"), "\(notes)")
        XCTAssertTrue(texts(svg, class: "nn-label").isEmpty, "no weight of a large layer is labelled")
        XCTAssertLessThan(svg.utf8.count, 20_000, "a picture, not a dump of 669,706 parameters")
    }

    func testTheSameSpecDrawsTheSameBytes() throws {
        let spec = Repository.file("specs/iris.yaml").path
        XCTAssertEqual(try draw([spec]), try draw([spec]))
    }

    /// With -o the SVG goes to the file and a `draw: PATH` line to standard output; --quiet leaves the line out.
    func testDrawWritesItsFileAndQuietLeavesOutTheLine() throws {
        let svg = try NnrunProcess.temporaryFolder().appendingPathComponent("tutorial.svg")
        let spec = Repository.file("specs/tutorial.yaml").path
        let loud = try NnrunProcess.run(["draw", spec, "-o", svg.path])
        XCTAssertEqual(loud.stdout, "draw: \(svg.path)\n")
        XCTAssertEqual(try String(contentsOf: svg, encoding: .utf8), try draw([spec]), "the file holds what standard output shows")
        let quiet = try NnrunProcess.run(["draw", spec, "-o", svg.path, "--quiet"])
        XCTAssertEqual(quiet.status, 0)
        XCTAssertEqual(quiet.stdout, "")
    }

    func testStepWithoutResultsIsAUsageError() throws {
        let output = try NnrunProcess.run(["draw", Repository.file("specs/tutorial.yaml").path, "--step", "1"])
        XCTAssertEqual(output.status, 64)
        XCTAssertTrue(output.stderr.contains("give --results too"), output.stderr)
    }
}
