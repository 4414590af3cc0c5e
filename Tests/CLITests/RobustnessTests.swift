import Foundation
import TestSupport
import XCTest

/// Divergence, interrupts, atomic results, the memory guard and gradcheck, on the real executable.
final class RobustnessTests: XCTestCase {
    private func write(_ text: String, _ name: String = "spec.yaml") throws -> (URL, String) {
        let folder = try NnrunProcess.temporaryFolder()
        let path = folder.appendingPathComponent(name)
        try text.write(to: path, atomically: true, encoding: .utf8)
        return (folder, path.path)
    }

    func testDivergenceStopsWritesTheHistoryAndExits3() throws {
        let (folder, path) = try write(TestSpecs.divergent)
        let output = try NnrunProcess.run([path, "-o", "r.json"], in: folder)
        XCTAssertEqual(output.status, 3, output.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("r.json"))) as? [String: Any])
        XCTAssertEqual(document["status"] as? String, "diverged")
        let steps = try XCTUnwrap(document["steps"] as? Int)
        XCTAssertLessThan(steps, 1000)
        let divergence = try XCTUnwrap(document["divergence"] as? [String: Any])
        XCTAssertEqual(divergence["step"] as? Int, steps)
        XCTAssertEqual(divergence["quantity"] as? String, "loss")
        let history = try XCTUnwrap(document["history"] as? [String: Any])
        XCTAssertEqual((history["step"] as? [Int])?.last, steps, "the history runs up to the step that went bad")
        // Only the loss went bad: no layer, so the line names the spec file alone.
        XCTAssertTrue(output.stdout.contains("  \(path): diverged at step \(steps): the loss became NaN or infinite\n"), output.stdout)
    }

    /// A layer's parameters that go bad are named with the layer's line in the spec. By hand:
    /// hidden's net is 1e300 x 1e10 = inf, tanh(inf) = 1, so out = 1e300 and the loss
    /// (1/2)(1e300)^2 overflows. At step 1, hidden's delta is dE/dout (1e300) x out's weight
    /// (1e300) x tanh'(inf) (0) = inf x 0 = NaN, so its weight gradient and then its weight
    /// are NaN: the first layer checked (input side first) is 'hidden', declared on line 6.
    func testADivergedLayerIsNamedWithItsLineInTheSpec() throws {
        let (folder, path) = try write("""
            nnrun: 1
            name: blow-up-weights
            model:
              inputs: 1
              layers:
                - {name: hidden, units: 1, activation: tanh, weights: [[1.0e300]]}
                - {name: out, units: 1, activation: linear, weights: [[1.0e300]]}
            data:
              - {inputs: [1.0e10], targets: [0]}
            training: {loss: half_squared_error, learning_rate: 1.0e300, steps: 10}
            """)
        let output = try NnrunProcess.run([path, "-o", "r.json"], in: folder)
        XCTAssertEqual(output.status, 3, output.stderr)
        XCTAssertTrue(output.stdout.contains("  \(path):6: diverged at step 1: weights of layer 'hidden' became NaN or infinite\n"), output.stdout)
        let quiet = try NnrunProcess.run([path, "-o", "r.json", "--quiet"], in: folder)
        XCTAssertTrue(quiet.stderr.contains("  \(path):6: diverged at step 1: weights of layer 'hidden' became NaN or infinite\n"), quiet.stderr)
        // The results file keeps its names: the quantity is the raw name, the layer its name.
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("r.json"))) as? [String: Any])
        let divergence = try XCTUnwrap(document["divergence"] as? [String: Any])
        XCTAssertEqual(divergence["layer"] as? String, "hidden")
        XCTAssertEqual(divergence["quantity"] as? String, "weights")
    }

    /// A run long enough to be stopped: 900 million steps of a one-weight model.
    private let long = """
        nnrun: 1
        name: long
        model:
          inputs: 1
          layers:
            - {name: out, units: 1, activation: linear, weights: [[0.5]]}
        data:
          - {inputs: [1], targets: [1]}
        training: {loss: half_squared_error, learning_rate: 0.001, steps: 900000000}
        record: {every: 1000000}
        """

    private func stop(with send: (Process) -> Void) throws -> (status: Int32, results: [String: Any], stderr: String) {
        let (folder, path) = try write(long)
        let results = folder.appendingPathComponent("r.json")
        // An older results file at the target must be replaced whole, never truncated.
        try "{\"older\": true}\n".write(to: results, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = NnrunProcess.executable
        process.arguments = [path, "-o", results.path]
        let errors = folder.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: errors)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorHandle
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        send(process)
        process.waitUntilExit()
        try errorHandle.close()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: results)) as? [String: Any],
                                     "status \(process.terminationStatus) (\(process.terminationReason == .uncaughtSignal ? "signal" : "exit")): \(stderr)")
        return (process.terminationStatus, document, stderr)
    }

    func testSIGINTStopsAtTheEndOfAStepAndWritesTheResults() throws {
        let (status, document, stderr) = try stop { $0.interrupt() }
        XCTAssertEqual(status, 130, stderr)
        XCTAssertEqual(document["status"] as? String, "interrupted")
        let steps = try XCTUnwrap(document["steps"] as? Int)
        XCTAssertGreaterThan(steps, 0)
        XCTAssertLessThan(steps, 900_000_000)
        let final = try XCTUnwrap(document["final"] as? [String: Any])
        XCTAssertEqual(final["step"] as? Int, steps)
    }

    func testSIGTERMStopsTheSameWayWithStatus143() throws {
        let (status, document, stderr) = try stop { $0.terminate() }
        XCTAssertEqual(status, 143, stderr)
        XCTAssertEqual(document["status"] as? String, "interrupted")
    }

    func testAFailedRunLeavesAnExistingResultsFileIntact() throws {
        let (folder, path) = try write("nnrun: 1\nname: broken\n")
        let results = folder.appendingPathComponent("r.json")
        let original = "{\"format\": \"nnrun.results/1\", \"kept\": true}\n"
        try original.write(to: results, atomically: true, encoding: .utf8)
        XCTAssertEqual(try NnrunProcess.run([path, "-o", results.path]).status, 65)
        XCTAssertEqual(try String(contentsOf: results, encoding: .utf8), original)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["r.json", "spec.yaml"],
                       "no temporary file is left behind")
    }

    func testMemoryGuardRefusesBeforeRunningWithTheEstimate() throws {
        let tutorial = Repository.file("specs/tutorial.yaml").path
        let output = try NnrunProcess.run([tutorial, "--max-memory", "64K", "-o", "-"])
        XCTAssertEqual(output.status, 65)
        XCTAssertEqual(output.stdout, "", "nothing was run")
        // The estimate: 10,001 history points of step and loss (16 B each) dominate; data:
        // the sample and its batch copy (2 + 2 values each) and its 2 gathered outputs;
        // results: 3 x 10 parameters and 2 x 1 x 2 outputs held for the results file, 8 B each.
        XCTAssertTrue(output.stderr.hasPrefix("\(tutorial): error: the run needs an estimated 157.3 KiB (parameters 160 B, activations 160 B, data 80 B, history 156.3 KiB, trace 352 B, kernels 0 B, results 272 B), more than --max-memory 64.0 KiB\n"), output.stderr)
        XCTAssertEqual(try NnrunProcess.run([tutorial, "--max-memory", "1M", "-o", "-"]).status, 0)
        XCTAssertEqual(try NnrunProcess.run([tutorial, "--max-memory", "lots"]).status, 64)
    }

    func testGradcheckPassesOnEveryShippedSpec() throws {
        for name in ["tutorial", "xor", "iris", "regression"] {
            let output = try NnrunProcess.run(["gradcheck", Repository.file("specs/\(name).yaml").path, "--step", "2"])
            XCTAssertEqual(output.status, 0, output.stdout)
            XCTAssertTrue(output.stdout.hasSuffix(" 0 failed\n"), output.stdout)
        }
    }

    /// The shipped specs cover sigmoid, tanh, linear, softmax and every loss; this one
    /// covers relu and leaky_relu (away from their kink at 0).
    func testGradcheckPassesOnReluAndLeakyRelu() throws {
        let (_, path) = try write("""
            nnrun: 1
            name: rectifiers
            model:
              inputs: 2
              layers:
                - {name: first, units: 3, activation: relu, weights: [[0.5, -0.2], [0.3, 0.8], [-0.6, 0.4]], bias: [0.1, 0.2, 0.3]}
                - {name: second, units: 2, activation: leaky_relu, alpha: 0.1, weights: [[0.7, -0.9, 0.2], [-0.4, 0.6, -0.8]], bias: [-0.05, 0.05]}
                - {name: out, units: 1, activation: linear, weights: [[1.5, -1.2]]}
            data:
              - {inputs: [1.0, 0.5], targets: [0.3]}
              - {inputs: [-0.5, 1.5], targets: [-0.2]}
            training: {loss: mse, learning_rate: 0.05, steps: 3}
            """)
        let output = try NnrunProcess.run(["gradcheck", path, "--step", "2"])
        XCTAssertEqual(output.status, 0, output.stdout)
        XCTAssertTrue(output.stdout.contains("  ok   first: "))
        XCTAssertTrue(output.stdout.contains("  ok   second: "))
        // 6 + 3 (first), 6 + 2 (second), 2 (out, no bias) parameters.
        XCTAssertTrue(output.stdout.hasSuffix("19 passed, 0 failed\n"), output.stdout)
    }

    /// relu at exactly net = 0: the runner uses relu'(0) = 0 (PyTorch's choice) while the
    /// central difference sees half the slope, (max(0, h) - max(0, -h)) / 2h = 1/2, so
    /// dE/dw of the hidden weights differ and gradcheck must say so.
    func testGradcheckFailsAtAReluKink() throws {
        let (_, path) = try write(TestSpecs.reluKink)
        let output = try NnrunProcess.run(["gradcheck", path])
        XCTAssertEqual(output.status, 1)
        // Hand derivation, w = hidden.weights[0][0], h = 1e-6: at w + h, net = h/2, the
        // network's output 2 relu(net) = h, E = (1 - h)^2 / 2; at w - h, output 0, E = 1/2.
        // D(h) = ((1 - h)^2 - 1) / 4h = -1/2 + h/4, D(2h) = -1/2 + h/2, and Richardson's
        // (4 D(h) - D(2h)) / 3 = -1/2 + h/6 = -0.49999983; analytic 0 (relu'(0) = 0).
        let d = { (h: Double) in (((1 - h) * (1 - h) / 2) - 0.5) / (2 * h) }
        XCTAssertEqual((4 * d(1e-6) - d(2e-6)) / 3, -0.5 + 1e-6 / 6, accuracy: 1e-9)
        XCTAssertTrue(output.stdout.contains("  FAIL hidden: worst at weights[0]["), output.stdout)
        XCTAssertTrue(output.stdout.contains("  above tolerance: hidden.weights[0][0]: analytic 0.0, numeric -0.4999998"), output.stdout)
        XCTAssertTrue(output.stdout.hasSuffix("1 passed, 2 failed\n"), output.stdout)
    }
}
