import Foundation
import TestSupport
import XCTest

/// Numbers as explain prints them, and after an operator.
private func n(_ value: Double) -> String { Printed.explained(value) }
private func o(_ value: Double) -> String { Printed.explainedOperand(value) }

/// explain's update with an optimizer that keeps memory: the momentum buffer, and Adam's
/// moments, bias corrections and step, each with its numbers. The expected values are
/// derived in the tests from torch.optim's formulas on a network small enough to do by
/// hand: one linear unit, w = 0.5, x = 2, target 3, half squared error, so
/// dE/dw = (w x - 3) x.
final class OptimizerExplanationTests: XCTestCase {
    private func explain(optimizer: String, step: Int) throws -> String {
        try ExplainSpecs.page(ExplainSpecs.oneUnit(optimizer: optimizer), ["--step", "\(step)"])
    }

    func testMomentumShowsTheBufferCarriedFromTheStepBefore() throws {
        // Step 1: g = -4, buf = -4, w = 0.5 + 0.4 = 0.9. Step 2: g = (1.8 - 3) 2 = -2.4,
        // buf = 0.9 (-4) + (-2.4) = -6, w = 0.9 + 0.6 = 1.5.
        let page = try explain(optimizer: "{name: sgd, momentum: 0.9}", step: 2)
        XCTAssertTrue(page.contains("    buf+ = mu * buf + dE_total/dp\n"), page)
        XCTAssertTrue(page.contains("    buf_w(1)_1,1+ = mu * buf_w(1)_1,1 + dE_total/dw(1)_1,1 = 0.9 * (-4) + (-2.4) = -6\n"), page)
        XCTAssertTrue(page.contains("    w(1)_1,1+ = w(1)_1,1 - eta * buf_w(1)_1,1+ = 0.9 - 0.1 * (-6) = 1.5\n"), page)
    }

    func testNesterovAndWeightDecayShowTheirTerms() throws {
        // Step 1 with weight decay 0.01: g = -4 + 0.01 * 0.5 = -3.995; buf = g;
        // nesterov: w = 0.5 - 0.1 (g + 0.9 buf) = 0.5 + 0.1 * 7.5905 = 1.25905.
        let page = try explain(optimizer: "{name: sgd, momentum: 0.9, nesterov: true, weight_decay: 0.01}", step: 1)
        XCTAssertTrue(page.contains("    g_w(1)_1,1 = dE_total/dw(1)_1,1 + lambda * w(1)_1,1 = (-4) + 0.01 * 0.5 = -3.995\n"), page)
        XCTAssertTrue(page.contains("    buf_w(1)_1,1+ = mu * buf_w(1)_1,1 + g_w(1)_1,1 = 0.9 * 0 + (-3.995) = -3.995\n"), page)
        XCTAssertTrue(page.contains("    w(1)_1,1+ = w(1)_1,1 - eta * (g_w(1)_1,1 + mu * buf_w(1)_1,1+) = 0.5 - 0.1 * ((-3.995) + 0.9 * (-3.995)) = 1.25905\n"), page)
    }

    func testAdamShowsMomentsBiasCorrectionsAndStep() throws {
        // torch.optim.Adam, lr 0.1, betas (0.9, 0.999), eps 1e-8, by hand for two steps.
        let (beta1, beta2, eps, lr) = (0.9, 0.999, 1e-8, 0.1)
        var w = 0.5, m = 0.0, v = 0.0
        var rows: [(g: Double, m0: Double, v0: Double, m: Double, v: Double, w0: Double, w: Double)] = []
        for t in 1...2 {
            let g = ExplainSpecs.oneUnitGradient(w), m0 = m, v0 = v, w0 = w
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            let mHat = m / (1 - pow(beta1, Double(t))), vHat = v / (1 - pow(beta2, Double(t)))
            w = w - lr * mHat / (vHat.squareRoot() + eps)
            rows.append((g, m0, v0, m, v, w0, w))
        }
        let page = try explain(optimizer: "{name: adam}", step: 2)
        let r = rows[1]
        XCTAssertTrue(page.contains("    1 - beta1^t = 1 - 0.9^2 = 0.19\n"), page)
        XCTAssertTrue(page.contains("    1 - beta2^t = 1 - 0.999^2 = 0.001999\n"))
        XCTAssertTrue(page.contains("    m_w(1)_1,1+ = beta1 * m_w(1)_1,1 + (1 - beta1) * dE_total/dw(1)_1,1 = 0.9 * \(o(r.m0)) + 0.1 * \(o(r.g)) = \(n(r.m))\n"), page)
        XCTAssertTrue(page.contains("    v_w(1)_1,1+ = beta2 * v_w(1)_1,1 + (1 - beta2) * (dE_total/dw(1)_1,1)^2 = 0.999 * \(o(r.v0)) + 0.001 * \(o(r.g))^2 = \(n(r.v))\n"))
        XCTAssertTrue(page.contains("    w(1)_1,1+ = w(1)_1,1 - eta * (m_w(1)_1,1+ / (1 - beta1^t)) / (sqrt(v_w(1)_1,1+ / (1 - beta2^t)) + eps) = \(n(r.w0)) - 0.1 * (\(o(r.m)) / 0.19) / (sqrt(\(n(r.v)) / 0.001999) + 1e-08) = \(n(r.w))\n"), page)
        // The first step starts from zero moments.
        let first = try explain(optimizer: "{name: adam}", step: 1)
        XCTAssertTrue(first.contains("    m_w(1)_1,1+ = beta1 * m_w(1)_1,1 + (1 - beta1) * dE_total/dw(1)_1,1 = 0.9 * 0 + 0.1 * (-4) = -0.4\n"), first)
    }

    func testLargeLayersListTheOptimizerMemoryInATable() throws {
        let url = try NnrunProcess.temporaryFolder().appendingPathComponent("wide.yaml")
        try """
            nnrun: 1
            name: wide
            model:
              inputs: 2
              layers:
                - {name: out, units: 1, activation: linear, weights: [[0.5, 0]]}
            data:
              - {inputs: [2, 1], targets: [3]}
            training: {loss: half_squared_error, learning_rate: 0.1, steps: 1, optimizer: {name: adam}}
            """.write(to: url, atomically: true, encoding: .utf8)
        let output = try NnrunProcess.run(["explain", url.path, "--format", "text", "--max-terms", "1"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let rows = output.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertTrue(rows.contains(["parameter", "before", "gradient", "m", "after", "v", "after", "after"]), output.stdout)
        // dE/dw = (0.5 * 2 - 3) x = -2 x: -4 and -2; m = 0.1 g; v = 0.001 g^2.
        let first = try XCTUnwrap(rows.first { $0.first == "out.weights[0][0]" })
        XCTAssertEqual(Array(first[1...4]), ["0.5", "-4", "-0.4", "0.016"])
        let second = try XCTUnwrap(rows.first { $0.first == "out.weights[0][1]" })
        XCTAssertEqual(Array(second[1...4]), ["0", "-2", "-0.2", "0.004"])
    }
}
