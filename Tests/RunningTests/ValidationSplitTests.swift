import Foundation
import TestSupport
import Validation
import XCTest

/// `validation: {split, seed}`: which samples are held out, worked by hand on small tables.
final class ValidationSplitTests: XCTestCase {
    /// Sample s has the single input s and the target 10 s, so each set names its samples.
    private func spec(samples: Int, validation: String) -> String {
        let data = (0..<samples).map { "  - {inputs: [\($0)], targets: [\($0 * 10)]}" }.joined(separator: "\n")
        return """
            nnrun: 1
            name: split
            model:
              inputs: 1
              layers:
                - {name: out, units: 1, activation: linear, weights: [[0.5]], bias: 0.0}
            data:
            \(data)
            validation: \(validation)
            training: {loss: mse, learning_rate: 0.01, steps: 1}
            """
    }

    func testWithoutASeedTheLastSamplesInDataOrderAreHeldOut() throws {
        // floor(0.4 x 5) = 2: samples 3 and 4 (Keras' validation_split), 0 to 2 train.
        let validated = try Training.validate(spec(samples: 5, validation: "{split: 0.4}"))
        XCTAssertEqual(validated.samples.map(\.inputs), [[0], [1], [2]])
        XCTAssertEqual(validated.validationSamples.map(\.inputs), [[3], [4]])
        XCTAssertEqual(validated.validationSamples.map(\.targets), [[30], [40]])
        XCTAssertEqual(validated.validationSplit?.validationIndices, [3, 4])
    }

    func testWithASeedThePermutationsFirstSamplesAreHeldOutInDataOrder() throws {
        // Docs/random.md's vector: the permutation of 0..<10 for seed 5 is 1 0 4 9 6 3 7 8 5 2.
        // floor(0.3 x 10) = 3 held out: {1, 0, 4}, kept in data order: 0, 1, 4.
        let validated = try Training.validate(spec(samples: 10, validation: "{split: 0.3, seed: 5}"))
        XCTAssertEqual(validated.validationSamples.map(\.inputs), [[0], [1], [4]])
        XCTAssertEqual(validated.samples.map(\.inputs), [[2], [3], [5], [6], [7], [8], [9]])
    }

    func testTheCountIsTheFloorOfTheBinary64Product() {
        // 0.29 x 100 is 28.999999999999996 in binary64 (Python: 0.29 * 100), so 28, not 29.
        XCTAssertEqual(ValidationSplit.validationCount(fraction: 0.29, of: 100), 28)
        XCTAssertEqual(ValidationSplit.validationCount(fraction: 0.2, of: 10), 2)
        XCTAssertEqual(ValidationSplit.validationCount(fraction: 0.7, of: 10), 7)   // 7.000000000000001
    }

    func testTheSplitCountsForEpochsAndBatches() throws {
        // 8 training samples of 10 in batches of 3: ceil(8 / 3) = 3 steps per epoch, 2 epochs = 6 steps.
        let text = try spec(samples: 10, validation: "{split: 0.2}").replacing(
            exactlyOnce: "steps: 1}", with: "epochs: 2, batch: 3}")
        XCTAssertEqual(try Training.validate(text).training.steps, 6)
    }

    func testASweepOverTheSplitHoldsOutWhatEachFractionSays() throws {
        // 5 samples: floor(0.2 x 5) = 1 (sample 4), floor(0.4 x 5) = 2 (samples 3 and 4).
        let text = spec(samples: 5, validation: "{split: 0.2}") + "\nsweep:\n  validation.split: [0.2, 0.4]\n"
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try text.write(to: folder.appendingPathComponent("spec.yaml"), atomically: true, encoding: .utf8)
        let sweep = try NnrunProcess.run(["sweep", "spec.yaml", "-o", "out", "--quiet"], in: folder)
        XCTAssertEqual(sweep.status, 0, sweep.stdout + sweep.stderr)
        for (name, held) in [("0-split=0.2", [4]), ("1-split=0.4", [3, 4])] {
            let data = try Data(contentsOf: folder.appendingPathComponent("out/\(name).results.json"))
            let results = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            XCTAssertEqual((results?["validation_split"] as? [String: Any])?["validation_indices"] as? [Int], held, name)
        }
    }

    /// The Python lines of Docs/spec-format.md ("Validation split"), run by python3, hold out
    /// the samples nnrun holds out, with and without a seed.
    func testTheDocumentedPythonReproducesTheSplit() throws {
        let page = try String(contentsOf: Repository.file("Docs/spec-format.md"), encoding: .utf8)
        guard let start = page.range(of: "<!-- split reference -->\n```python\n"),
              let end = page.range(of: "```", range: start.upperBound..<page.endIndex) else {
            return XCTFail("Docs/spec-format.md has no split reference block")
        }
        let reference = String(page[start.upperBound..<end.lowerBound])
        for (n, fraction, seed) in [(37, 0.25, "9"), (10, 0.3, "5"), (23, 0.5, "None"), (100, 0.29, "123456789")] {
            let program = reference + "\nprint(' '.join(map(str, split(\(n), \(fraction), \(seed))[1])))\n"
            let output = try python(program)
            let validated = try Training.validate(spec(samples: n, validation: seed == "None"
                ? "{split: \(fraction)}" : "{split: \(fraction), seed: \(seed)}"))
            XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines),
                           validated.validationSplit?.validationIndices.map(String.init).joined(separator: " "),
                           "n \(n), split \(fraction), seed \(seed)")
        }
    }

    private func python(_ program: String) throws -> String {
        guard (try? NnrunProcess.run(["python3", "-c", "pass"], executable: URL(fileURLWithPath: "/usr/bin/env")))?.status == 0 else {
            throw missingTool("python3 is needed to run the documented split: install python3")
        }
        let output = try NnrunProcess.run(["python3", "-c", program], executable: URL(fileURLWithPath: "/usr/bin/env"))
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout
    }
}
