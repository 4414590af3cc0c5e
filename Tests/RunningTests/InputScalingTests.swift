import Foundation
import TestSupport
import Validation
import XCTest

/// `data.scale`: the constants fitted on the training samples only, worked by hand.
final class InputScalingTests: XCTestCase {
    /// Inputs (a, b): a = 1, 2, 3, 6 and 100, b = 5 throughout but 7 in the last sample, which
    /// the split holds out (floor(0.2 x 5) = 1, the last sample).
    private func spec(scale: String) -> String {
        """
        nnrun: 1
        name: scaled
        model:
          inputs: 2
          layers:
            - {name: out, units: 1, activation: linear, weights: [[0.5, 0.5]], bias: 0.0}
        data:
          csv: table.csv
          inputs: [a, b]
          targets: [y]
          scale: \(scale)
        validation: {split: 0.2}
        training: {loss: mse, learning_rate: 0.01, steps: 1}
        """
    }

    private func validate(_ text: String) throws -> ValidatedSpec {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "a,b,y\n1,5,1\n2,5,2\n3,5,3\n6,5,4\n100,7,5\n".write(to: folder.appendingPathComponent("table.csv"),
                                                             atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("spec.yaml").path
        return try Training.validate(text, path: path)
    }

    func testStandardizeUsesTheTrainingSamplesMeanAndPopulationStandardDeviation() throws {
        let validated = try validate(spec(scale: "standardize"))
        // a on the training samples 1, 2, 3, 6: mean 12 / 4 = 3; deviations -2, -1, 0, 3,
        // squares 4 + 1 + 0 + 9 = 14, variance 14 / 4 = 3.5 (ddof 0), std sqrt(3.5).
        // b: 5 throughout, std 0, so scale 1 (sklearn's choice).
        let scaling = try XCTUnwrap(validated.inputScaling)
        XCTAssertEqual(scaling.offset, [3, 5])
        XCTAssertEqual(scaling.scale, [(3.5).squareRoot(), 1])
        XCTAssertEqual(validated.samples.map(\.inputs[0]), [-2, -1, 0, 3].map { $0 / (3.5).squareRoot() })
        XCTAssertEqual(validated.samples.map(\.inputs[1]), [0, 0, 0, 0])
        // The held-out sample (100, 7) scaled with the training constants; targets untouched.
        XCTAssertEqual(validated.validationSamples.map(\.inputs), [[97 / (3.5).squareRoot(), 2]])
        XCTAssertEqual(validated.validationSamples.map(\.targets), [[5]])
        XCTAssertEqual(validated.samples.map(\.targets), [[1], [2], [3], [4]])
    }

    func testMinmaxMapsTheTrainingRangeToZeroToOne() throws {
        let validated = try validate(spec(scale: "minmax"))
        // a: min 1, max 6, range 5; b: range 0, so scale 1.
        let scaling = try XCTUnwrap(validated.inputScaling)
        XCTAssertEqual(scaling.offset, [1, 5])
        XCTAssertEqual(scaling.scale, [5, 1])
        XCTAssertEqual(validated.samples.map(\.inputs[0]), [0, 0.2, 0.4, 1])
        XCTAssertEqual(validated.validationSamples.map(\.inputs), [[99.0 / 5, 2]])
    }

    func testTheSumsRunInSampleOrder() {
        // 1e16 + 1 + ... : in sample order each 1 is lost (1e16 + 1 rounds to 1e16), so the
        // sum is 1e16 + 0 and the mean 1e16 / 4 = 2.5e15; another order (1 + 1 + 1 first)
        // would give 1e16 + 3 -> 1.0000000000000004e16 / 4.
        let scaling = InputScaling(fitting: .standardize, to: [[1e16], [1], [1], [1]], columns: 1)
        XCTAssertEqual(scaling.offset, [2.5e15])
    }

    func testTheConstantsAreInTheResultsFile() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "a,b,y\n1,5,1\n2,5,2\n3,5,3\n6,5,4\n100,7,5\n".write(to: folder.appendingPathComponent("table.csv"),
                                                             atomically: true, encoding: .utf8)
        try spec(scale: "minmax").write(to: folder.appendingPathComponent("spec.yaml"), atomically: true, encoding: .utf8)
        let run = try NnrunProcess.run(["run", "spec.yaml", "-o", "out.json"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out.json"))) as? [String: Any]
        let scaling = try XCTUnwrap(results?["input_scaling"] as? [String: Any])
        XCTAssertEqual(scaling["method"] as? String, "minmax")
        XCTAssertEqual(scaling["offset"] as? [Double], [1, 5])
        XCTAssertEqual(scaling["scale"] as? [Double], [5, 1])
        let split = try XCTUnwrap(results?["validation_split"] as? [String: Any])
        XCTAssertEqual(split["validation_indices"] as? [Int], [4])
        XCTAssertNil(results?["early_stopping"], "written only when the spec stops early")
    }

    func testExplainSaysTheInputsAreScaledAndShowsTheConstants() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "a,b,y\n1,5,1\n2,5,2\n3,5,3\n6,5,4\n100,7,5\n".write(to: folder.appendingPathComponent("table.csv"),
                                                             atomically: true, encoding: .utf8)
        try spec(scale: "minmax").write(to: folder.appendingPathComponent("spec.yaml"), atomically: true, encoding: .utf8)
        let explain = try NnrunProcess.run(["explain", "spec.yaml", "--step", "1", "--format", "text"], in: folder)
        XCTAssertEqual(explain.status, 0, explain.stderr)
        XCTAssertTrue(explain.stdout.contains("data.scale: minmax"), explain.stdout)
        XCTAssertTrue(explain.stdout.contains("Offsets: 1.0, 5.0; scales: 5.0, 1.0"), explain.stdout)
        // Sample 1's first input, 2, is shown scaled: (2 - 1) / 5 = 0.2.
        XCTAssertTrue(explain.stdout.contains("0.2"), explain.stdout)
    }
}

/// The shipped spec's constants against NumPy: the split by the documented Python lines,
/// then numpy.mean and numpy.std (ddof 0) over the 120 training flowers. NumPy sums
/// pairwise, nnrun in sample order, so the two agree to rounding, not to the bit.
final class ShippedScalingTests: XCTestCase {
    func testTheIrisSpecsConstantsAgreeWithNumPy() throws {
        let page = try String(contentsOf: Repository.file("Docs/spec-format.md"), encoding: .utf8)
        guard let start = page.range(of: "<!-- split reference -->\n```python\n"),
              let end = page.range(of: "```", range: start.upperBound..<page.endIndex) else {
            return XCTFail("Docs/spec-format.md has no split reference block")
        }
        let program = String(page[start.upperBound..<end.lowerBound]) + """

            import csv, numpy
            with open(\(String(reflecting: Repository.file("specs/data/iris.csv").path))) as file:
                rows = list(csv.DictReader(file))
            x = numpy.array([[float(row[k]) for k in ("sepal_length", "sepal_width", "petal_length", "petal_width")] for row in rows])
            training, _ = split(len(x), 0.2, 1)
            print(" ".join(repr(float(v)) for v in list(x[training].mean(axis=0)) + list(x[training].std(axis=0))))
            """
        try requirePython("import numpy", else: "python3 with numpy is needed: pip install numpy")
        let output = try NnrunProcess.run(["python3", "-c", program], executable: URL(fileURLWithPath: "/usr/bin/env"))
        XCTAssertEqual(output.status, 0, output.stderr)
        let numpy = output.stdout.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(numpy.count, 8)
        let text = try String(contentsOf: Repository.file("specs/iris-early-stopping.yaml"), encoding: .utf8)
        let scaling = try XCTUnwrap(Training.validate(text, path: Repository.file("specs/iris-early-stopping.yaml").path).inputScaling)
        for (nnrun, reference) in zip(scaling.offset + scaling.scale, numpy) {
            XCTAssertEqual(nnrun, reference, accuracy: 1e-13 * abs(reference), "max difference \(abs(nnrun - reference))")
        }
    }
}
