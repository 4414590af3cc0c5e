import Foundation
import TestSupport
import XCTest

/// Every shipped spec, and every valid spec of the test corpora, compiled to a PyTorch
/// script and run with PyTorch, agrees with nnrun's results at rel 1e-9.
final class CompiledScriptTests: XCTestCase {
    /// specs/*.yaml and the valid specs of the hostile-input corpus (`# exit: 0`: big layers,
    /// diverging runs, extreme settings, odd YAML). The fuzzer's valid seeds are copies of
    /// specs/*.yaml (their data paths point nowhere from that folder), so they add nothing.
    static func corpus() throws -> [(name: String, spec: URL)] {
        let files = FileManager.default
        func yamlFiles(_ folder: String) throws -> [URL] {
            try files.contentsOfDirectory(atPath: Repository.file(folder).path).sorted()
                .filter { $0.hasSuffix(".yaml") }.map { Repository.file(folder + "/" + $0) }
        }
        var specs = try yamlFiles("specs").map { (name: "shipped-" + $0.deletingPathExtension().lastPathComponent, spec: $0) }
        for url in try yamlFiles("Tests/ValidationTests/Hostile") {
            // Read leniently: some of the corpus is deliberately not UTF-8.
            let header = String(decoding: try Data(contentsOf: url), as: UTF8.self).split(separator: "\n").prefix { $0.hasPrefix("#") }
            guard header.contains("# exit: 0") else { continue }
            specs.append((name: "hostile-" + url.deletingPathExtension().lastPathComponent, spec: url))
        }
        return specs
    }

    func testShippedAndCorpusSpecsAgreeWithNnrunAtRelativeOneInABillion() throws {
        let harness = try PyTorchHarness()
        defer { harness.cleanUp() }
        let specs = try Self.corpus()
        XCTAssertGreaterThanOrEqual(specs.count, 20, "the corpus lost its specs")
        let jobs = try specs.map { try harness.prepare($0.spec, name: $0.name) }
        let failures = try harness.runScripts(jobs)
        for job in jobs {
            if let failure = failures[job.name] { XCTFail("\(job.name): \(failure)"); continue }
            if let disagreement = try harness.disagreement(job) { XCTFail("\(job.name) differs from nnrun:\n\(disagreement)") }
        }
    }

    /// Format 2's binary classifier whose two classes nnrun infers from the CSV file, with a
    /// `--set` on both sides: the script reads the labels as 0 and 1 in nnrun's class order,
    /// records the override in its `spec` as nnrun does, and agrees with nnrun.
    func testInferredBinaryClassesAndOverridesAgreeWithNnrun() throws {
        try PyTorchHarness.requireTorch()
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "x1,x2,label\n0.1,0.2,yes\n0.5,0.1,no\n0.9,0.7,yes\n0.3,0.8,no\n"
            .write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let spec = folder.appendingPathComponent("binary.yaml")
        try """
            nnrun: 2
            name: binary-inferred
            seed: 7
            model:
              inputs: 2
              layers:
                - {units: 3, activation: tanh}
                - {units: 1, activation: sigmoid}
            data: {csv: d.csv, inputs: [x1, x2], one_hot: {column: label}}
            training: {loss: binary_cross_entropy, optimizer: {name: adam}, learning_rate: 0.05, epochs: 5, batch: 2}

            """.write(to: spec, atomically: true, encoding: .utf8)
        let set = ["--set", "training.learning_rate=0.1"]
        let script = folder.appendingPathComponent("out/train.py")
        let nnrun = folder.appendingPathComponent("nnrun.json"), torch = folder.appendingPathComponent("torch.json")
        XCTAssertEqual(try NnrunProcess.run(["compile", spec.path, "--target", "pytorch", "-o", script.path] + set).status, 0)
        XCTAssertEqual(try NnrunProcess.run([spec.path, "-o", nnrun.path, "--quiet"] + set).status, 0)
        let ran = try PyTorchHarness.python([script.path, "-o", torch.path])
        XCTAssertEqual(ran.status, 0, ran.stderr)
        let diff = try NnrunProcess.run(["diff", torch.path, nnrun.path, "--common-sections", "--rel", PyTorchHarness.tolerance])
        XCTAssertEqual(diff.status, 0, diff.stdout + diff.stderr)
        let written = try String(contentsOf: torch, encoding: .utf8)
        XCTAssertTrue(written.contains("training.learning_rate=0.1"), "the script records the override")
    }

    func testInvalidSpecIsRefusedWithItsDiagnosticsAndNoScript() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("bad.yaml"), script = folder.appendingPathComponent("train.py")
        try "nnrun: 1\nname: bad\nmodel:\n  inputs: 1\n  layers:\n    - {name: out, units: 1, activation: sigmoud, weights: [[0.5]]}\ndata:\n  - {inputs: [1], targets: [1]}\ntraining: {loss: mse, learning_rate: 0.1, steps: 1}\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let compiled = try NnrunProcess.run(["compile", spec.path, "--target", "pytorch", "-o", script.path])
        XCTAssertEqual(compiled.status, 65)
        XCTAssert(compiled.stderr.contains("sigmoud"), compiled.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: script.path))
    }

    func testUnknownTargetIsAUsageError() throws {
        let compiled = try NnrunProcess.run(["compile", Repository.file("specs/xor.yaml").path, "--target", "jax", "-o", "/dev/null"])
        XCTAssertEqual(compiled.status, 64)
        XCTAssert(compiled.stderr.contains("pytorch"), compiled.stderr)
    }

    /// A network over the embedding limit gets its initial parameters from NAME.initial.npy
    /// beside the script, which NumPy reads back to the plan's values (checked against
    /// nnrun's `initial.layers`, in nnrun's parameter layout).
    func testLargeNetworkParametersGoBesideTheScriptAsNpy() throws {
        try PyTorchHarness.requireTorch()
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("wide.yaml")
        try "nnrun: 1\nname: wide\nseed: 3\nmodel:\n  inputs: 3\n  layers:\n    - {name: hidden, units: 2000, activation: tanh, weights: {init: xavier_uniform}, bias: 0.25}\n    - {name: out, units: 1, activation: linear, weights: {init: normal, std: 0.1}}\ndata:\n  - {inputs: [1, 2, 3], targets: [1]}\ntraining: {loss: mse, learning_rate: 0.001, steps: 1}\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let script = folder.appendingPathComponent("out/train.py"), results = folder.appendingPathComponent("nnrun.json")
        XCTAssertEqual(try NnrunProcess.run(["compile", spec.path, "--target", "pytorch", "-o", script.path]).status, 0)
        XCTAssertEqual(try NnrunProcess.run([spec.path, "-o", results.path, "--quiet"]).status, 0)
        let check = """
            import json, numpy
            p = numpy.load("\(folder.path)/out/train.initial.npy")
            layers = json.load(open("\(results.path)"))["initial"]["layers"]
            expected = []
            for layer in layers:
                expected += [w for row in layer["weights"] for w in row]
                if layer["bias"] is not None:
                    expected += layer["bias"][:1] if layer["bias_shared"] else layer["bias"]
            assert p.dtype == numpy.float64 and p.shape == (len(expected),), (p.dtype, p.shape)
            assert p.tolist() == expected
            print("ok", len(expected))
            """
        let output = try PyTorchHarness.python(["-c", check])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout, "ok 8001\n")
        XCTAssertFalse(try String(contentsOf: script, encoding: .utf8).contains("np.array(["), "parameters were embedded")
    }
}

/// A validation split, input scaling and early stopping: the script splits and scales the
/// data files itself (its own xoshiro256** permutation, its own sums) and applies Keras'
/// rule at the same checks, so it stops at the same step, holds out the same samples,
/// fits the same constants and keeps the same best parameters as nnrun.
final class TrainingBreadthScriptTests: XCTestCase {
    private func assertAgrees(_ spec: String, files: [String: [UInt8]], file: StaticString = #filePath, line: UInt = #line) throws {
        try PyTorchHarness.requireTorch()
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, bytes) in files { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
        let specURL = folder.appendingPathComponent("spec.yaml")
        try spec.write(to: specURL, atomically: true, encoding: .utf8)
        let script = folder.appendingPathComponent("out/train.py")
        let nnrun = folder.appendingPathComponent("nnrun.json"), torch = folder.appendingPathComponent("torch.json")
        XCTAssertEqual(try NnrunProcess.run(["compile", specURL.path, "--target", "pytorch", "-o", script.path]).status, 0, file: file, line: line)
        XCTAssertEqual(try NnrunProcess.run([specURL.path, "-o", nnrun.path, "--quiet"]).status, 0, file: file, line: line)
        let ran = try PyTorchHarness.python([script.path, "-o", torch.path])
        XCTAssertEqual(ran.status, 0, ran.stderr, file: file, line: line)
        let diff = try NnrunProcess.run(["diff", torch.path, nnrun.path, "--common-sections", "--rel", PyTorchHarness.tolerance])
        XCTAssertEqual(diff.status, 0, diff.stdout + diff.stderr, file: file, line: line)
        let mine = try JSONSerialization.jsonObject(with: Data(contentsOf: nnrun)) as? [String: Any]
        let theirs = try JSONSerialization.jsonObject(with: Data(contentsOf: torch)) as? [String: Any]
        for key in ["validation_split", "input_scaling", "early_stopping"] where mine?[key] != nil {
            XCTAssertNotNil(theirs?[key], "the script writes \(key)", file: file, line: line)
        }
        XCTAssertEqual((mine?["early_stopping"] as? [String: Any])?["stopped"] as? Bool, true, "the spec stops early", file: file, line: line)
        // Exact: the same held-out samples, the same stop, the same constants to the bit.
        XCTAssertEqual((mine?["validation_split"] as? [String: Any])?["validation_indices"] as? [Int],
                       (theirs?["validation_split"] as? [String: Any])?["validation_indices"] as? [Int], file: file, line: line)
        XCTAssertEqual(mine?["steps"] as? Int, theirs?["steps"] as? Int, file: file, line: line)
        XCTAssertEqual((mine?["input_scaling"] as? [String: Any])?["scale"] as? [Double],
                       (theirs?["input_scaling"] as? [String: Any])?["scale"] as? [Double], file: file, line: line)
        XCTAssertEqual((mine?["early_stopping"] as? [String: Any])?["parameters_step"] as? Int,
                       (theirs?["early_stopping"] as? [String: Any])?["parameters_step"] as? Int, file: file, line: line)
    }

    private static let spec = """
        nnrun: 2
        name: breadth
        seed: 5
        model:
          inputs: 2
          layers:
            - {units: 5, activation: tanh}
            - {units: 1, activation: linear}
        data: DATA
        validation: {split: 0.25, seed: 11}
        training:
          loss: mse
          optimizer: {name: adam}
          learning_rate: 0.05
          batch: 8
          epochs: 80
          shuffle: {seed: 2}
          early_stopping: {monitor: validation_loss, patience: 3, min_delta: 0.0001, restore_best: true}
        record: {every: epoch}

        """

    /// 40 samples of y = 0.5 a - 0.3 b + 1 plus a wobble, inputs far from 0 and of different spreads.
    private static let rows: [(Double, Double, Double)] = (0..<40).map { s in
        let a = 3 + 2 * sin(Double(s) * 1.7), b = 10 + 5 * cos(Double(s) * 0.9)
        return (a, b, 0.5 * a - 0.3 * b + 1 + 0.1 * sin(Double(s) * 7.3))
    }

    func testStandardizedCSVDataAgreesWithNnrun() throws {
        let csv = "a,b,y\n" + Self.rows.map { "\($0.0),\($0.1),\($0.2)\n" }.joined()
        try assertAgrees(Self.spec.replacingOccurrences(of: "DATA", with: "{csv: d.csv, inputs: [a, b], targets: [y], scale: standardize}"),
                         files: ["d.csv": Array(csv.utf8)])
    }

    func testMinmaxNpyDataWithAnUnseededSplitAgreesWithNnrun() throws {
        func npy(_ rows: [[Double]]) -> [UInt8] {
            var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows.count), \(rows[0].count)), }"
            while (10 + header.count + 1) % 64 != 0 { header += " " }
            header += "\n"
            return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count % 256), UInt8(header.count / 256)] + Array(header.utf8)
                + rows.joined().flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        }
        let spec = Self.spec.replacingOccurrences(of: "DATA", with: "{npy: {inputs: x.npy, targets: y.npy}, scale: minmax}")
            .replacingOccurrences(of: "{split: 0.25, seed: 11}", with: "{split: 0.3}")
        try assertAgrees(spec, files: ["x.npy": npy(Self.rows.map { [$0.0, $0.1] }), "y.npy": npy(Self.rows.map { [$0.2] })])
    }

    /// Samples listed in the spec are listed in the script as nnrun split them.
    func testListedSamplesComeSplitAndAgreeWithNnrun() throws {
        let data = "\n" + Self.rows.map { "  - {inputs: [\($0.0), \($0.1)], targets: [\($0.2)]}" }.joined(separator: "\n")
        let spec = Self.spec.replacingOccurrences(of: "data: DATA", with: "data:" + data)
        try assertAgrees(spec, files: [:])
    }
}
