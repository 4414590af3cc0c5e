import Foundation
import TestSupport
import XCTest

/// explain on networks other than the tutorial's: deeper, other activations, softmax
/// with cross entropy, several samples, and the matrix form for large layers. Numbers
/// are checked against the results file's trace of the same spec.
final class NetworkExplanationTests: XCTestCase {
    private func write(_ text: String) throws -> String {
        let url = try NnrunProcess.temporaryFolder().appendingPathComponent("net.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func explain(_ spec: String, _ arguments: [String] = []) throws -> String {
        let output = try NnrunProcess.run(["explain", spec, "--format", "text"] + arguments)
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout
    }

    /// The trace of step 1 from the results file: layer -> key -> rows.
    private func trace(_ spec: String) throws -> [[String: Any]] {
        let output = try NnrunProcess.run([spec, "-o", "-"])
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let steps = try XCTUnwrap(document["trace"] as? [[String: Any]])
        return try XCTUnwrap(steps.first?["layers"] as? [[String: Any]])
    }

    private func rounded(_ value: Double) -> String {
        var text = String(format: "%.9f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    private let deep = """
        nnrun: 1
        name: deep
        model:
          inputs: 2
          layers:
            - {name: first, units: 2, activation: tanh, weights: [[0.1, 0.2], [0.3, -0.4]], bias: 0.1}
            - {name: second, units: 2, activation: relu, weights: [[0.5, -0.6], [0.7, 0.8]], bias: [0.05, -0.05]}
            - {name: out, units: 1, activation: sigmoid, weights: [[0.9, -1.0]]}
        data:
          - {inputs: [0.5, -0.25], targets: [1]}
        training: {loss: half_squared_error, learning_rate: 0.1, steps: 3}
        record: {trace: [1]}
        """

    func testThreeLayersUseLayeredSymbolsAndTheirOwnDerivatives() throws {
        let spec = try write(deep)
        let page = try explain(spec)
        // Symbols: hidden layers numbered, weights by layer and position.
        let legend = try XCTUnwrap(page.split(separator: "\n").first { $0.hasPrefix("  w(2)_1,2 ") })
        XCTAssertTrue(legend.contains(" weight h(1)_2 -> h(2)_1 ") && legend.contains(" second.weights[0][1] "), String(legend))
        XCTAssertTrue(page.contains("    net_h(1)_1 = w(1)_1,1 * i1 + w(1)_1,2 * i2 + b(1) * 1\n"))
        XCTAssertTrue(page.contains("    net_o1 = w(3)_1,1 * out_h(2)_1 + w(3)_1,2 * out_h(2)_2\n"), "no bias on the output layer")
        // Each activation's own derivative.
        XCTAssertTrue(page.contains("dout_h(1)_1/dnet_h(1)_1 = 1 - out^2 = "))
        XCTAssertTrue(page.contains("dout_h(2)_1/dnet_h(2)_1 = 1 if net > 0 else 0 = "))
        XCTAssertTrue(page.contains("dout_o1/dnet_o1 = out (1 - out) = "))
        // The errors of the first layer sum over the second layer's units.
        XCTAssertTrue(page.contains("    dE_total/dout_h(1)_1 = delta_h(2)_1 * w(2)_1,1 + delta_h(2)_2 * w(2)_2,1 = "))
        // Deltas and gradients shown are the trace's.
        let layers = try trace(spec)
        for (l, name) in ["h(1)_", "h(2)_"].enumerated() {
            let deltas = try XCTUnwrap(layers[l]["delta"] as? [[Double]])[0]
            for (j, delta) in deltas.enumerated() {
                XCTAssertTrue(page.contains("    delta_\(name)\(j + 1) = ") && page.contains(" = \(rounded(delta))\n"),
                              "delta of \(name)\(j + 1) = \(delta)")
            }
        }
        let shared = try XCTUnwrap(layers[0]["bias_gradient"] as? [Double])[0]
        XCTAssertTrue(page.contains("    dE_total/db(1) = delta_h(1)_1 + delta_h(1)_2 = "))
        XCTAssertTrue(page.contains(" = \(rounded(shared))\n"))
    }

    func testSoftmaxWithCrossEntropyTakesTheGradientAtTheLogits() throws {
        let spec = try write("""
            nnrun: 1
            name: classes
            model:
              inputs: 2
              layers:
                - {name: hidden, units: 2, activation: relu, weights: [[0.5, 0.2], [-0.3, 0.8]], bias: [0.1, 0.1]}
                - {name: output, units: 3, activation: softmax, weights: [[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]], bias: [0, 0, 0]}
            data:
              - {inputs: [1.0, 0.5], targets: [0, 1, 0]}
            training: {loss: cross_entropy, learning_rate: 0.1, steps: 1}
            record: {trace: [1]}
            """)
        let page = try explain(spec)
        XCTAssertTrue(page.contains("    out_o1 = (e^"), "softmax written as a fraction of exponentials")
        XCTAssertTrue(page.contains("    E_o2 = -target ln(out) = -1 ln("))
        let output = try trace(spec)[1]
        let deltas = try XCTUnwrap(output["delta"] as? [[Double]])[0]
        let outs = try XCTUnwrap(output["out"] as? [[Double]])[0]
        XCTAssertEqual(deltas[1], outs[1] - 1, accuracy: 1e-15, "dE/dnet = softmax - target")
        XCTAssertTrue(page.contains("    delta_o2 = dE_total/dnet_o2 = out - target = \(rounded(outs[1])) - 1 = \(rounded(deltas[1]))\n"), page)
        XCTAssertTrue(page.contains("dE_total/dw5 = dE_total/dnet_o1 * dnet_o1/dw5"), "two factors at the logits")
    }

    func testSeveralSamplesShowTheAverage() throws {
        let spec = try write(TestSpecs.twoSampleLine)
        let page = try explain(spec)
        // Hand derivation: deltas -1.4 and 0.6 (see HandDerivationTests); dE/dw = (1/2)((-1.4)(1) + (0.6)(3)) = 0.2.
        XCTAssertTrue(page.contains("    dE_total/dw(1)_1,1 = 1/2 sum_s delta_o1(s) * i1(s) = 1/2 ((-1.4) * 1 + 0.6 * 3) = 0.2\n"), page)
        XCTAssertTrue(page.contains("    E_total = 1/2 sum_s E_s = 1/2 (0.98 + 0.18) = 0.58\n"))
        let second = try explain(spec, ["--sample", "1"])
        XCTAssertTrue(second.contains("follow one of them, sample s = #1"))
    }

    func testLargeLayersFallBackToMatrixForm() throws {
        let spec = try write(deep)
        let page = try explain(spec, ["--max-terms", "3"])
        XCTAssertTrue(page.contains("Layer 'first' has 4 weights, more than --max-terms 3, so it is shown per layer"))
        XCTAssertTrue(page.contains("    net_first = ["))
        XCTAssertTrue(page.contains("    delta_first = ["))
        XCTAssertTrue(page.contains("    net_o1 = w(3)_1,1 * out_h(2)_1"), "small layers stay unit by unit")
    }

    func testStepAndSampleOutsideTheRunAreUsageErrors() throws {
        let spec = try write(deep)
        XCTAssertEqual(try NnrunProcess.run(["explain", spec, "--step", "4"]).status, 64)
        XCTAssertEqual(try NnrunProcess.run(["explain", spec, "--sample", "3"]).status, 64)
        XCTAssertEqual(try NnrunProcess.run(["explain", spec, "--step", "3"]).status, 0)
    }
}
