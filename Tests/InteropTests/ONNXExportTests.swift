import Foundation
import Pipeline
import TestSupport
import Validation
import XCTest

/// `nnrun export`: every shipped spec's ONNX model passes onnx's checker and, run by
/// onnxruntime on the training inputs, reproduces the results file's outputs: within 1e-10
/// in float64, within the float32 rounding bound derived in Fixtures/onnx_check.py in float32.
final class ONNXExportTests: XCTestCase {
    private let env = URL(fileURLWithPath: "/usr/bin/env")
    private let script = Repository.file("Tests/InteropTests/Fixtures/onnx_check.py").path

    private func requireOnnxRuntime() throws {
        let probe = try NnrunProcess.run(["python3", "-c", "import onnx, onnxruntime, numpy"], executable: env)
        guard probe.status == 0 else {
            throw missingTool("onnx and onnxruntime are needed to check exported models (pip install onnx onnxruntime numpy)")
        }
    }

    /// The shipped specs, and the benchmark specs cheap enough for a test (w1, w2: inline
    /// data; w3 when bench/make-data has written its data).
    private func specs() throws -> [URL] {
        let folder = Repository.file("specs")
        var specs = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        specs += [Repository.file("specs/bench/w1.yaml"), Repository.file("specs/bench/w2.yaml")]
        if FileManager.default.fileExists(atPath: Repository.file("specs/bench/data/w3-inputs.npy").path) {
            specs.append(Repository.file("specs/bench/w3.yaml"))
        }
        return specs
    }

    /// The training inputs and the layers' activations, for the checker (written from the
    /// compiled spec, not from anything the export wrote).
    /// With `data.scale` the inputs are the data file's own, unscaled (the model scales them):
    /// those of the spec compiled without its `scale:` line.
    private func job(_ spec: URL, to path: URL) throws {
        let validated = try SpecCompilation(path: spec.path).validSpec()
        var inputs = validated.samples.map(\.inputs)
        if validated.inputScaling != nil {
            let text = try String(contentsOf: spec, encoding: .utf8)
            let unscaled = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("scale:") }.joined(separator: "\n")
            inputs = try SpecCompilation(path: spec.path, bytes: Array(unscaled.utf8)).validSpec().samples.map(\.inputs)
        }
        let layers = validated.layers.map { ["activation": $0.activation.rawValue, "alpha": $0.alpha] as [String: Any] }
        let document: [String: Any] = ["inputs": inputs, "layers": layers]
        try JSONSerialization.data(withJSONObject: document).write(to: path)
    }

    private func check(_ model: URL, _ results: URL, _ job: URL, _ dtype: String, section: String = "final",
                       _ label: String) throws {
        let check = try NnrunProcess.run(["python3", script, model.path, results.path, job.path, dtype, section], executable: env)
        XCTAssertEqual(check.status, 0, "\(label) \(dtype): \(check.stdout)\(check.stderr)")
        XCTAssertTrue(check.stdout.contains("ok"), "\(label) \(dtype): \(check.stdout)")
    }

    func testEveryShippedSpecsModelReproducesItsFinalOutputsUnderOnnxRuntime() throws {
        try requireOnnxRuntime()
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for spec in try specs() {
            let name = spec.deletingPathExtension().lastPathComponent
            let results = folder.appendingPathComponent("\(name).json"), job = folder.appendingPathComponent("\(name).job.json")
            let run = try NnrunProcess.run([spec.path, "-q", "-o", results.path])
            XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
            try self.job(spec, to: job)
            for dtype in ["float64", "float32"] {
                let model = folder.appendingPathComponent("\(name).\(dtype).onnx")
                let export = try NnrunProcess.run(["export", spec.path, "--results", results.path, "--dtype", dtype, "-o", model.path])
                XCTAssertEqual(export.status, 0, "\(name): \(export.stderr)")
                try check(model, results, job, dtype, name)
            }
        }
    }

    func testWithoutResultsTheSpecIsTrainedFirstAndWithInitialTheStartingParametersAreExported() throws {
        try requireOnnxRuntime()
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = Repository.file("specs/xor.yaml")
        let results = folder.appendingPathComponent("xor.json"), job = folder.appendingPathComponent("job.json")
        XCTAssertEqual(try NnrunProcess.run([spec.path, "-q", "-o", results.path]).status, 0)
        try self.job(spec, to: job)
        let trained = folder.appendingPathComponent("trained.onnx"), initial = folder.appendingPathComponent("initial.onnx")
        let export = try NnrunProcess.run(["export", spec.path, "-q", "-o", trained.path])
        XCTAssertEqual(export.status, 0, export.stderr)
        try check(trained, results, job, "float64", "xor trained by export")
        XCTAssertEqual(try NnrunProcess.run(["export", spec.path, "--initial", "-o", initial.path]).status, 0)
        try check(initial, results, job, "float64", section: "initial", "xor --initial")
    }

    /// Shapes the shipped specs lack: a shared bias (one value, repeated per unit in the
    /// model), a layer without bias, leaky_relu with the default alpha 0.01 (not a Float32)
    /// and with 0.25 (one), relu and a linear output.
    func testSharedBiasNoBiasAndLeakyReluReproduceTheirOutputs() throws {
        try requireOnnxRuntime()
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("shapes.yaml")
        try """
            nnrun: 1
            name: shapes
            description: "layers the shipped specs lack"
            seed: 3
            model:
              inputs: 3
              layers:
                - {name: shared, units: 4, activation: leaky_relu, weights: {init: normal, std: 1.5}, bias: 0.3}
                - {name: plain, units: 3, activation: leaky_relu, alpha: 0.25, weights: {init: normal, std: 1.5}}
                - {name: rectified, units: 3, activation: relu, weights: {init: normal}, bias: [0.1, -0.2, 0.05]}
                - {name: out, units: 2, activation: linear, weights: {init: normal}, bias: [0.0, 0.5]}
            data:
              - {inputs: [0.5, -1.0, 2.0], targets: [1.0, -1.0]}
              - {inputs: [-1.5, 0.25, 0.75], targets: [0.5, 0.0]}
              - {inputs: [2.0, 1.0, -3.0], targets: [-0.5, 2.0]}
              - {inputs: [0.0, -2.0, -0.5], targets: [0.0, 1.0]}
            training:
              loss: mse
              optimizer: sgd
              learning_rate: 0.01
              steps: 5
            """.write(to: spec, atomically: true, encoding: .utf8)
        let results = folder.appendingPathComponent("results.json"), job = folder.appendingPathComponent("job.json")
        let run = try NnrunProcess.run([spec.path, "-q", "-o", results.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        try self.job(spec, to: job)
        for dtype in ["float64", "float32"] {
            let model = folder.appendingPathComponent("\(dtype).onnx")
            let export = try NnrunProcess.run(["export", spec.path, "--results", results.path, "--dtype", dtype, "-o", model.path])
            XCTAssertEqual(export.status, 0, export.stderr)
            try check(model, results, job, dtype, "shapes")
        }
    }

    func testTheModelCarriesTheSpecsNameDescriptionLayerNamesAndOpset() throws {
        try requireOnnxRuntime()
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("tutorial.onnx")
        let export = try NnrunProcess.run(["export", Repository.file("specs/tutorial.yaml").path, "--initial", "-o", model.path])
        XCTAssertEqual(export.status, 0, export.stderr)
        let read = try NnrunProcess.run(["python3", "-c", """
            import onnx, sys
            m = onnx.load(sys.argv[1])
            meta = {p.key: p.value for p in m.metadata_props}
            print(m.ir_version, [(o.domain, o.version) for o in m.opset_import])
            print(meta["nnrun.spec.name"], "|", meta["nnrun.layers"], "|", meta["nnrun.parameters"])
            print(" ".join(n.op_type + ":" + n.name for n in m.graph.node))
            print(" ".join(t.name for t in m.graph.initializer))
            print(m.graph.input[0].name, [d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim])
            """, model.path], executable: env)
        XCTAssertEqual(read.status, 0, read.stderr)
        let lines = read.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "7 [('', 13)]")
        XCTAssertEqual(lines.dropFirst().first, "tutorial | hidden,output | initial parameters")
        XCTAssertEqual(lines.dropFirst(2).first, "Gemm:hidden.gemm Sigmoid:hidden.sigmoid Gemm:output.gemm Sigmoid:output.sigmoid")
        XCTAssertEqual(lines.dropFirst(3).first, "hidden.weight hidden.bias output.weight output.bias")
        XCTAssertEqual(lines.dropFirst(4).first, "input ['N', 2]")
    }

    func testAResultsFileOfAnotherSpecIsRefusedWithExit65() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let results = folder.appendingPathComponent("published.json")
        XCTAssertEqual(try NnrunProcess.run([Repository.file("specs/tutorial-published.yaml").path, "-q", "-o", results.path]).status, 0)
        let model = folder.appendingPathComponent("m.onnx")
        let export = try NnrunProcess.run(["export", Repository.file("specs/tutorial.yaml").path, "--results", results.path,
                                           "-o", model.path])
        XCTAssertEqual(export.status, 65, export.stderr)
        XCTAssertTrue(export.stderr.contains("the results file was written for another spec"), export.stderr)
        XCTAssertTrue(export.stderr.contains("fix:"), export.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.path), "nothing is written")
    }

    /// A results file of this spec whose parameters were changed so that they no longer fit
    /// (a missing row of weights), or hold a diverged run's null, is refused, not exported.
    func testAResultsFileWhoseLayersDoNotFitOrHoldNullIsRefused() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = Repository.file("specs/tutorial.yaml").path
        let results = folder.appendingPathComponent("results.json")
        XCTAssertEqual(try NnrunProcess.run([spec, "-q", "-o", results.path]).status, 0)
        let original = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: results)) as? [String: Any])
        func edited(_ weights: Any, _ name: String) throws -> URL {
            var document = original
            var final = try XCTUnwrap(document["final"] as? [String: Any])
            var layers = try XCTUnwrap(final["layers"] as? [[String: Any]])
            layers[0]["weights"] = weights
            final["layers"] = layers
            document["final"] = final
            let url = folder.appendingPathComponent(name)
            try JSONSerialization.data(withJSONObject: document).write(to: url)
            return url
        }
        let cases: [(URL, String)] = [
            (try edited([[0.1, 0.2]], "short.json"), "the layers' shapes in final.layers are not the spec's"),
            (try edited([[0.1, NSNull()], [0.3, 0.4]], "null.json"), "final.layers[0].weights[0][1] is null"),
            (try edited("weights", "text.json"), "final.layers[0].weights is not a list of rows"),
        ]
        for (file, message) in cases {
            for command in [["export", spec, "-o", folder.appendingPathComponent("m.onnx").path],
                            ["predict", spec, "--inputs", Repository.file("specs/data/iris.csv").path]] {
                let output = try NnrunProcess.run(command + ["--results", file.path])
                XCTAssertEqual(output.status, 65, "\(command[0]) \(file.lastPathComponent): \(output.stderr)")
                XCTAssertTrue(output.stderr.contains(message), "\(command[0]): \(output.stderr)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.onnx").path))
    }
}
