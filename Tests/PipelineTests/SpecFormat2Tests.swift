import Foundation
import Pipeline
import Results
import TestSupport
import XCTest

/// Spec format 2's defaults and its ways to give initial parameters (Docs/spec-format.md,
/// "Format 2"), each checked against a value stated independently: the docs' test vectors
/// (Docs/random.md), numbers written in the test, or the same run taken another way.
final class SpecFormat2Tests: XCTestCase {
    /// Two inputs, three tanh units, one sigmoid output; the layers write what `layers` says.
    private func spec(seed: String = "seed: 5", layers: String, record: String = "",
                      extra: String = "") -> String {
        """
        nnrun: 2
        name: format-2
        \(seed)
        \(extra)
        model:
          inputs: 2
          layers:
        \(layers)
        data:
          - {inputs: [0, 0], targets: [0]}
          - {inputs: [0, 1], targets: [1]}
          - {inputs: [1, 0], targets: [1]}
          - {inputs: [1, 1], targets: [0]}
        training: {loss: binary_cross_entropy, learning_rate: 0.5, steps: 3}
        \(record)
        """
    }

    func testAnOmittedBiasIsATrainedZeroPerUnitAndNoneIsNoBias() throws {
        let result = try Training.run(spec(layers: """
                - {units: 3, activation: tanh}
                - {units: 1, activation: sigmoid, bias: none}
            """))
        XCTAssertEqual(result.initial.layers[0].bias, [0, 0, 0])
        XCTAssertEqual(result.initial.layers[0].biasShared, false)
        XCTAssertNil(result.initial.layers[1].bias)
        // Trained: three steps of gradient descent move a zero bias off zero.
        XCTAssertTrue(result.final.layers[0].bias?.contains { $0 != 0 } == true)
    }

    func testUnnamedLayersAreNamedByPositionAndExplicitNamesWin() throws {
        let result = try Training.run(spec(layers: """
                - {units: 3, activation: tanh}
                - {units: 3, activation: tanh, name: middle}
                - {units: 1, activation: sigmoid}
            """))
        XCTAssertEqual(result.initial.layers.map(\.name), ["layer1", "middle", "layer3"])
    }

    /// Omitted weights are `{init: xavier_uniform}` without a seed of their own: the seed is
    /// derived from the spec's, as for any drawn layer (Docs/random.md).
    func testOmittedWeightsAreGlorotUniformFromTheDerivedSeed() throws {
        let omitted = try Training.run(spec(layers: """
                - {units: 3, activation: tanh}
                - {units: 1, activation: sigmoid}
            """))
        let written = try Training.run(spec(layers: """
                - {units: 3, activation: tanh, weights: {init: xavier_uniform}}
                - {units: 1, activation: sigmoid, weights: {init: xavier_uniform}}
            """))
        for l in 0..<2 {
            XCTAssertEqual(omitted.initial.layers[l].weights, written.initial.layers[l].weights)
        }
        // glorot_uniform's bound for 2 inputs and 3 units: sqrt(6 / 5).
        let bound = (6.0 / 5).squareRoot()
        XCTAssertTrue(omitted.initial.layers[0].weights.joined().allSatisfy { abs($0) <= bound })
    }

    func testAFillGivesEveryUnitTheSameStartingBias() throws {
        let result = try Training.run(spec(layers: """
                - {units: 3, activation: tanh, bias: {fill: 0.1}}
                - {units: 1, activation: sigmoid, bias: {fill: -2.5}}
            """))
        XCTAssertEqual(result.initial.layers[0].bias, [0.1, 0.1, 0.1])
        XCTAssertEqual(result.initial.layers[1].bias, [-2.5])
    }

    /// A drawn bias takes the draws a one-input layer's weights would: Docs/random.md's
    /// vector `init uniform seed=7 units=2 inputs=3` lists the first six uniforms of seed 7.
    func testADrawnBiasTakesTheDocumentedDraws() throws {
        let result = try Training.run(spec(layers: """
                - {units: 3, activation: tanh, bias: {init: uniform, seed: 7}}
                - {units: 1, activation: sigmoid}
            """))
        XCTAssertEqual(result.initial.layers[0].bias, [0.7005764821796896, 0.2787512294737843, 0.8396274618764198])
    }

    /// Without a seed of its own, layer 0's bias takes output 1 of SplitMix64 started at
    /// `seed XOR 0x42494153`: 0x5010FDADCBD6E981 for seed 0 (Docs/random.md, computed there
    /// from the page's SplitMix64).
    func testADrawnBiasWithoutASeedDerivesItFromTheSpecSeed() throws {
        let derived = try Training.run(spec(seed: "seed: 0", layers: """
                - {units: 3, activation: tanh, bias: {init: normal}}
                - {units: 1, activation: sigmoid}
            """))
        let explicit = try Training.run(spec(seed: "seed: 0", layers: """
                - {units: 3, activation: tanh, bias: {init: normal, seed: 5769390045552634241}}
                - {units: 1, activation: sigmoid}
            """))
        XCTAssertEqual(derived.initial.layers[0].bias, explicit.initial.layers[0].bias)
        XCTAssertNotEqual(derived.initial.layers[0].bias, [0, 0, 0])
    }

    /// A .npy file of float64, little-endian, C order, written byte by byte (NPY format 1.0).
    private func npy(_ values: [Double], shape: [Int]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        return Data(bytes)
    }

    func testWeightsAndBiasFromNpyFilesBesideTheSpec() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try npy([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], shape: [3, 2]).write(to: folder.appendingPathComponent("w0.npy"))
        try npy([-0.5, 0, 0.5], shape: [3]).write(to: folder.appendingPathComponent("b0.npy"))
        let path = folder.appendingPathComponent("spec.yaml").path
        let result = try Training.run(spec(layers: """
                - {units: 3, activation: tanh, weights: {npy: w0.npy}, bias: {npy: b0.npy}}
                - {units: 1, activation: sigmoid}
            """), path: path)
        XCTAssertEqual(result.initial.layers[0].weights, [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
        XCTAssertEqual(result.initial.layers[0].bias, [-0.5, 0, 0.5])
    }

    /// Plain full-batch SGD has no state but the parameters, so three steps, then one more
    /// from the results file, are four steps.
    func testInitFromContinuesARunExactly() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let layers = """
                - {name: hidden, units: 3, activation: tanh, bias: 0.2}
                - {name: out, units: 1, activation: sigmoid}
            """
        let first = spec(layers: layers)
        let firstPath = folder.appendingPathComponent("first.yaml").path
        let compilation = SpecCompilation(path: firstPath, bytes: Array(first.utf8))
        let document = try PlannedSpec(compilation, memoryLimit: .max).run().document()
        try document.serialized().write(toFile: folder.appendingPathComponent("first.results.json").path,
                                        atomically: true, encoding: .utf8)

        let continued = try Training.run(spec(seed: "", layers: """
                - {name: hidden, units: 3, activation: tanh}
                - {name: out, units: 1, activation: sigmoid}
            """, extra: "init_from: first.results.json").replacingOccurrences(of: "steps: 3", with: "steps: 1"),
            path: folder.appendingPathComponent("second.yaml").path)
        let whole = try Training.run(first.replacingOccurrences(of: "steps: 3", with: "steps: 4"), path: firstPath)
        for l in 0..<2 {
            XCTAssertEqual(continued.final.layers[l].weights.joined().map(\.bitPattern),
                           whole.final.layers[l].weights.joined().map(\.bitPattern))
            XCTAssertEqual(continued.final.layers[l].bias?.map(\.bitPattern), whole.final.layers[l].bias?.map(\.bitPattern))
            XCTAssertEqual(continued.final.layers[l].biasShared, whole.final.layers[l].biasShared)
        }
        XCTAssertEqual(continued.final.layers[0].biasShared, true, "the shared bias of 'hidden' stays shared")
        XCTAssertEqual(continued.final.layers[1].biasShared, false)
    }

    /// Four samples in batches of 3: two steps per epoch; 5 steps record 0, 2, 4 and the last, 5.
    func testRecordEveryEpochCountsTheStepsOfAnEpoch() throws {
        let text = spec(layers: """
                - {units: 1, activation: sigmoid}
            """, record: "record: {every: epoch}")
            .replacingOccurrences(of: "steps: 3}", with: "steps: 5, batch: 3}")
        XCTAssertEqual(try Training.run(text).history.steps, [0, 2, 4, 5])
    }

    func testTwoNamedClassesOnOneSigmoidUnitAreTargetsZeroAndOne() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "x,answer\n0.5,yes\n-1,no\n2,yes\n".write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let text = """
            nnrun: 2
            name: binary
            seed: 1
            model: {inputs: 1, layers: [{units: 1, activation: sigmoid}]}
            data: {csv: d.csv, inputs: [x], one_hot: {column: answer, classes: [no, yes]}}
            training: {loss: binary_cross_entropy, learning_rate: 0.1, steps: 1}
            """
        let spec = try Training.validate(text, path: folder.appendingPathComponent("binary.yaml").path)
        XCTAssertEqual(spec.samples.map(\.targets), [[1], [0], [1]])
    }

    /// The sweep over a layer's units: with format 2's default bias every run is
    /// valid (format 1's per-unit bias list had the old width in every run).
    func testASweepOverUnitsIsValidForEveryRun() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sweep.yaml").path
        try (spec(layers: """
                - {units: 4, activation: tanh}
                - {units: 1, activation: sigmoid}
            """) + "\nsweep:\n  model.layers[0].units: [2, 8, 16]\n").write(toFile: path, atomically: true, encoding: .utf8)
        let expansion = try SweepExpansion(path: path)
        XCTAssertEqual(expansion.runs.count, 3)
        for (run, units) in zip(expansion.runs, [2, 8, 16]) {
            let result = try Training.run(run.text, path: path)
            XCTAssertEqual(result.initial.layers[0].bias, Array(repeating: 0, count: units))
        }
    }

    /// Integer labels on one output unit: format 2 reads 0 and 1 as the targets; 2 is out of range.
    func testIntegerLabelsOnOneUnitAreBinaryTargetsInFormat2() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try npy([0.5, -1, 2], shape: [3]).write(to: folder.appendingPathComponent("x.npy"))
        // int64 labels 1, 0, 1, written byte by byte like `npy` above.
        var header = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        func labels(_ values: [Int64]) -> Data {
            var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
            for value in values { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
            return Data(bytes)
        }
        try labels([1, 0, 1]).write(to: folder.appendingPathComponent("y.npy"))
        try labels([1, 2, 0]).write(to: folder.appendingPathComponent("bad.npy"))
        let text = """
            nnrun: 2
            name: binary-npy
            seed: 1
            model: {inputs: 1, layers: [{units: 1, activation: sigmoid}]}
            data: {npy: {inputs: x.npy, targets: y.npy}}
            training: {loss: binary_cross_entropy, learning_rate: 0.1, steps: 1}
            """
        let path = folder.appendingPathComponent("binary.yaml").path
        XCTAssertEqual(try Training.validate(text, path: path).samples.map(\.targets), [[1], [0], [1]])
        XCTAssertThrowsError(try Training.validate(text.replacingOccurrences(of: "y.npy", with: "bad.npy"), path: path)) {
            XCTAssertTrue("\($0)".contains("class label 2 is out of range; the output layer has 1 unit, so labels must be 0 or 1"), "\($0)")
        }
    }

    func testAFormat1SpecKeepsItsMeaningWithoutBiasAndRefusesFormat2Forms() throws {
        let format1 = """
            nnrun: 1
            name: one
            model: {inputs: 1, layers: [{name: out, units: 1, activation: linear, weights: [[0.5]]}]}
            data: [{inputs: [1], targets: [1]}]
            training: {loss: mse, learning_rate: 0.1, steps: 1}
            """
        XCTAssertNil(try Training.run(format1).initial.layers[0].bias)
        XCTAssertThrowsError(try Training.validate(format1.replacingOccurrences(of: "[[0.5]]}", with: "[[0.5]], bias: {fill: 0}}"))) {
            XCTAssertTrue("\($0)".contains("NN3050"), "\($0)")
        }
    }
}
