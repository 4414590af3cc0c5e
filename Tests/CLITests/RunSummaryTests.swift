import Foundation
import TestSupport
import XCTest

/// `nnrun SPEC`'s summary shows every metric the run records, at step 0 and at the end.
final class RunSummaryTests: XCTestCase {
    /// One sigmoid unit, z = w x + b with w = 1, b = 0, binary cross entropy, one full-batch
    /// SGD step with learning rate 0.5; four training samples and two validation samples.
    static let spec = """
        nnrun: 1
        name: summary-metrics
        model:
          inputs: 1
          layers:
            - name: out
              units: 1
              activation: sigmoid
              weights: [[1]]
              bias: [0]
        data:
          - {inputs: [2], targets: [1]}
          - {inputs: [-1], targets: [0]}
          - {inputs: [1], targets: [0]}
          - {inputs: [3], targets: [1]}
        validation:
          - {inputs: [0.5], targets: [1]}
          - {inputs: [0.5], targets: [0]}
        training:
          loss: binary_cross_entropy
          optimizer: sgd
          learning_rate: 0.5
          steps: 1

        """
    static let training: [(x: Double, t: Double)] = [(2, 1), (-1, 0), (1, 0), (3, 1)]
    static let validation: [(x: Double, t: Double)] = [(0.5, 1), (0.5, 0)]

    /// The metrics by hand (Docs/spec-format.md): o = 1/(1 + e^-z); E_s = -[t log o + (1 - t) log(1 - o)];
    /// the loss is the mean of E_s; accuracy the fraction with (o > 0.5) == (t > 0.5).
    static func metrics(w: Double, b: Double, _ samples: [(x: Double, t: Double)]) -> (loss: Double, accuracy: Double) {
        var loss = 0.0, right = 0.0
        for (x, t) in samples {
            let o = 1 / (1 + exp(-(w * x + b)))
            loss += -(t * log(o) + (1 - t) * log(1 - o))
            if (o > 0.5) == (t > 0.5) { right += 1 }
        }
        return (loss / Double(samples.count), right / Double(samples.count))
    }

    func testSummaryShowsLossAccuracyAndValidationMetricsFirstAndFinal() throws {
        let folder = try NnrunProcess.temporaryFolder()
        try Self.spec.write(to: folder.appendingPathComponent("m.yaml"), atomically: true, encoding: .utf8)
        let output = try NnrunProcess.run(["m.yaml"], in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)

        // The step: dE/dz_s = o_s - t_s, and the batch gradient is the mean over the samples.
        let (w0, b0) = (1.0, 0.0)
        var dw = 0.0, db = 0.0
        for (x, t) in Self.training {
            let o = 1 / (1 + exp(-(w0 * x + b0)))
            dw += (o - t) * x / 4
            db += (o - t) / 4
        }
        let (w1, b1) = (w0 - 0.5 * dw, b0 - 0.5 * db)
        let before = (Self.metrics(w: w0, b: b0, Self.training), Self.metrics(w: w0, b: b0, Self.validation))
        let after = (Self.metrics(w: w1, b: b1, Self.training), Self.metrics(w: w1, b: b1, Self.validation))
        // Worked out: 3 of 4 training samples right before and after (x = 1, t = 0 is not); 1 of 2 validation samples.
        XCTAssertEqual(before.0.accuracy, 0.75)
        XCTAssertEqual(before.1.accuracy, 0.5)

        let expected: [(label: String, first: Double, final: Double)] = [
            ("loss", before.0.loss, after.0.loss),
            ("accuracy", before.0.accuracy, after.0.accuracy),
            ("validation loss", before.1.loss, after.1.loss),
            ("validation accuracy", before.1.accuracy, after.1.accuracy),
        ]
        let lines = output.stdout.split(separator: "\n").map(String.init)
        for (label, first, final) in expected {
            // "  validation loss      0.72... at step 0 -> 0.71... at step 1"
            let line = try XCTUnwrap(lines.first { $0.hasPrefix("  \(label)  ") }, "no '\(label)' line in\n\(output.stdout)")
            let words = line.dropFirst(2 + label.count).split(separator: " ")
            XCTAssertEqual(words.count, 9, line)
            guard words.count == 9 else { continue }
            XCTAssertEqual(words[1...4] + words[6...8], ["at", "step", "0", "->", "at", "step", "1"], line)
            XCTAssertEqual(try XCTUnwrap(Double(words[0])), first, accuracy: 1e-12 * max(1, abs(first)), line)
            XCTAssertEqual(try XCTUnwrap(Double(words[5])), final, accuracy: 1e-12 * max(1, abs(final)), line)
        }
        // The values start in one column: after the label and a run of two or more spaces.
        let columns = Set(lines.dropFirst().map { line -> Int in
            let characters = Array(line)
            var index = 2
            while index + 1 < characters.count, !(characters[index] == " " && characters[index + 1] == " ") { index += 1 }
            while index < characters.count, characters[index] == " " { index += 1 }
            return index
        })
        XCTAssertEqual(columns.count, 1, output.stdout)
    }

    func testARegressionShowsNoAccuracy() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let output = try NnrunProcess.run([Repository.file("specs/regression.yaml").path], in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("\n  loss "), output.stdout)
        XCTAssertFalse(output.stdout.contains("accuracy"), "mse records no accuracy\n\(output.stdout)")
    }
}
