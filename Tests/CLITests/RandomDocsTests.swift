import Foundation
import TestSupport
import XCTest

/// Docs/random.md is enough to reproduce nnrun's random numbers: a Python implementation
/// written from the page alone (Fixtures/random_from_docs.py) recomputes the page's test
/// vectors and the initial weights and shuffled batches in nnrun's own results files.
final class RandomDocsTests: XCTestCase {
    private let python = URL(fileURLWithPath: "/usr/bin/env")
    private let script = Repository.file("Tests/CLITests/Fixtures/random_from_docs.py").path

    private func requirePython() throws {
        try TestSupport.requirePython("import json, math, struct", else: "python3 is needed to check Docs/random.md (install python3)")
    }

    func testThePagesImplementationReproducesItsTestVectors() throws {
        try requirePython()
        let check = try NnrunProcess.run(["python3", script, "check-doc", Repository.file("Docs/random.md").path],
                                         executable: python)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains(" 0 mismatches"), check.stdout)
    }

    /// A layer of each initializer (explicit seeds, seeds derived from the spec seed, a
    /// listed layer that still counts in the derivation, an odd count of normal draws) and
    /// a shuffled run over three epochs with every step traced.
    private struct Layer {
        var units: Int
        var activation: String
        var weights: String      // the spec's `weights:` value
        var initializer: String  // the job's `init` value (JSON), `null` for listed weights
    }

    private func check(shuffle: String, batch: Int, steps: Int, jobShuffleSeed: String) throws {
        let layers = [
            Layer(units: 5, activation: "tanh", weights: "{init: normal, mean: 0.5, std: 2}",
                  initializer: #"{"name": "normal", "mean": 0.5, "std": 2.0}"#),
            Layer(units: 4, activation: "tanh", weights: "{init: xavier_uniform}", initializer: #"{"name": "xavier_uniform"}"#),
            Layer(units: 2, activation: "tanh", weights: "[[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]]", initializer: "null"),
            Layer(units: 3, activation: "relu", weights: "{init: he_normal, seed: 7}", initializer: #"{"name": "he_normal", "seed": 7}"#),
            Layer(units: 3, activation: "tanh", weights: "{init: he_uniform}", initializer: #"{"name": "he_uniform"}"#),
            Layer(units: 3, activation: "tanh", weights: "{init: xavier_normal, seed: 12345678901}",
                  initializer: #"{"name": "xavier_normal", "seed": 12345678901}"#),
            Layer(units: 3, activation: "tanh", weights: "{init: normal}", initializer: #"{"name": "normal"}"#),
            Layer(units: 1, activation: "sigmoid", weights: "{init: uniform, low: -0.5, high: 2}",
                  initializer: #"{"name": "uniform", "low": -0.5, "high": 2.0}"#),
        ]
        let samples = 7
        var inputs = 3
        var jobLayers: [String] = []
        var spec = "nnrun: 1\nname: random-docs\nseed: 42\nmodel:\n  inputs: 3\n  layers:\n"
        for (index, layer) in layers.enumerated() {
            spec += "    - {name: l\(index), units: \(layer.units), activation: \(layer.activation), weights: \(layer.weights)}\n"
            jobLayers.append(#"{"units": \#(layer.units), "inputs": \#(inputs), "init": \#(layer.initializer)}"#)
            inputs = layer.units
        }
        spec += "data:\n"
        for sample in 0..<samples {
            spec += "  - {inputs: [\(sample), \(Double(sample) / 10), -1], targets: [\(sample % 2)]}\n"
        }
        spec += "training:\n  loss: half_squared_error\n  learning_rate: 0.1\n  batch: \(batch)\n  shuffle: \(shuffle)\n  steps: \(steps)\n"
        spec += "record:\n  trace: [\((1...steps).map(String.init).joined(separator: ", "))]\n"
        let job = #"{"spec_seed": 42, "shuffle_seed": \#(jobShuffleSeed), "samples": \#(samples), "batch": \#(batch), "layers": [\#(jobLayers.joined(separator: ", "))]}"#

        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let specPath = folder.appendingPathComponent("random-docs.yaml").path
        let jobPath = folder.appendingPathComponent("job.json").path
        let resultsPath = folder.appendingPathComponent("results.json").path
        try spec.write(toFile: specPath, atomically: true, encoding: .utf8)
        try job.write(toFile: jobPath, atomically: true, encoding: .utf8)
        let run = try NnrunProcess.run([specPath, "-o", resultsPath])
        XCTAssertEqual(run.status, 0, run.stderr)
        let check = try NnrunProcess.run(["python3", script, "check-results", jobPath, resultsPath], executable: python)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("8 layers and \(steps) traced steps checked, 0 mismatches"), check.stdout)
    }

    /// Format 2: omitted weights are xavier_uniform from the derived layer seed; a drawn bias
    /// takes a one-input layer's draws, its seed its own or derived from the spec seed
    /// through "BIAS" (Docs/random.md, "Seeds that are not written").
    func testFormat2DefaultWeightsAndDrawnBiasesFollowThePage() throws {
        try requirePython()
        let spec = """
            nnrun: 2
            name: random-docs-format-2
            seed: 42
            model:
              inputs: 3
              layers:
                - {units: 4, activation: tanh, bias: {init: normal, mean: 0.5, std: 2}}
                - {units: 3, activation: tanh, weights: {init: he_normal}, bias: {init: uniform, low: -1, high: 1, seed: 9}}
                - {units: 5, activation: tanh, bias: {init: normal}}
                - {units: 1, activation: sigmoid}
            data:
              - {inputs: [1, 2, 3], targets: [1]}
            training: {loss: half_squared_error, learning_rate: 0.1, steps: 1}
            """
        let job = #"""
            {"spec_seed": 42, "shuffle_seed": null, "samples": 1, "batch": 1, "layers": [
              {"units": 4, "inputs": 3, "init": {"name": "xavier_uniform"}, "bias": {"name": "normal", "mean": 0.5, "std": 2.0}},
              {"units": 3, "inputs": 4, "init": {"name": "he_normal"}, "bias": {"name": "uniform", "low": -1.0, "high": 1.0, "seed": 9}},
              {"units": 5, "inputs": 3, "init": {"name": "xavier_uniform"}, "bias": {"name": "normal"}},
              {"units": 1, "inputs": 5, "init": {"name": "xavier_uniform"}}
            ]}
            """#
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let specPath = folder.appendingPathComponent("format-2.yaml").path
        let jobPath = folder.appendingPathComponent("job.json").path
        let resultsPath = folder.appendingPathComponent("results.json").path
        try spec.write(toFile: specPath, atomically: true, encoding: .utf8)
        try job.write(toFile: jobPath, atomically: true, encoding: .utf8)
        let run = try NnrunProcess.run([specPath, "-o", resultsPath])
        XCTAssertEqual(run.status, 0, run.stderr)
        let check = try NnrunProcess.run(["python3", script, "check-results", jobPath, resultsPath], executable: python)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("4 layers and 0 traced steps checked, 0 mismatches"), check.stdout)
    }

    func testInitialWeightsAndShuffledBatchesFollowThePage() throws {
        try requirePython()
        // The shuffle seed derived from the spec seed; 7 samples in batches of 3: epochs of 3, 3, 1.
        try check(shuffle: "{}", batch: 3, steps: 9, jobShuffleSeed: "null")
        // An explicit shuffle seed; batches of 2, three and a half epochs.
        try check(shuffle: "{seed: 11}", batch: 2, steps: 14, jobShuffleSeed: "11")
    }
}
