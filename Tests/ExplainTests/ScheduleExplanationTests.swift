import Foundation
import TestSupport
import XCTest

private func n(_ value: Double) -> String { Printed.explained(value) }
private func o(_ value: Double) -> String { Printed.explainedOperand(value) }

/// explain's update with a learning-rate schedule, AdamW and RMSprop, on the network of
/// OptimizerExplanationTests (one linear unit, w = 0.5, x = 2, target 3, half squared
/// error: dE/dw = (2w - 3) 2). The expected numbers are torch.optim's rules and the
/// schedules' closed forms, worked out here.
final class ScheduleExplanationTests: XCTestCase {
    private func explain(optimizer: String, schedule: String, step: Int) throws -> String {
        try ExplainSpecs.page(ExplainSpecs.oneUnit(optimizer: optimizer, schedule: schedule), ["--step", "\(step)"])
    }

    func testAdamWAfterACosineWarmupShowsTheRateTheDecayAndTheStep() throws {
        // Rates (every: step, warmup 2, t_max 4): k = 0 -> 0, k = 1 -> 0.1 * 1 / 2 = 0.05,
        // k = 2 -> j = 0 -> 0 + 0.1 (1 + cos 0) / 2 = 0.1.
        let rates = [0, 0.05, 0.1]
        var w = 0.5, m = 0.0, v = 0.0
        var decayed = 0.0, before = 0.0, g = 0.0, m0 = 0.0, v0 = 0.0
        for t in 1...3 {
            let lr = rates[t - 1]
            (before, m0, v0) = (w, m, v)
            g = ExplainSpecs.oneUnitGradient(w)
            decayed = w * (1 - lr * 0.1)
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            w = decayed - lr * (m / (1 - pow(0.9, Double(t)))) / ((v / (1 - pow(0.999, Double(t)))).squareRoot() + 1e-8)
        }
        XCTAssertEqual(before, 0.5475, accuracy: 1e-8)   // step 1 moved nothing (rate 0), step 2 by 0.05
        let page = try explain(optimizer: "{name: adamw, weight_decay: 0.1}", schedule: "{name: cosine, t_max: 4, warmup: 2, every: step}",
                               step: 3)
        XCTAssertTrue(page.contains("k is the number of updates before this one: for step 3, k = 2."), page)
        XCTAssertTrue(page.contains("    eta = eta_min + (eta0 - eta_min) * (1 + cos(pi * j / 4)) / (2) = 0 + (0.1 - 0) * (1 + cos(pi * 0 / 4)) / (2) = 0.1\n"), page)
        XCTAssertTrue(page.contains("    w(1)_1,1' = w(1)_1,1 * (1 - eta * lambda) = \(n(before)) * 0.99 = \(n(decayed))\n"), page)
        XCTAssertTrue(page.contains("= 0.9 * \(o(m0)) + 0.1 * \(o(g)) = \(n(m))\n"), page)
        XCTAssertTrue(page.contains("= 0.999 * \(o(v0)) + 0.001 * \(o(g))^2 = \(n(v))\n"), page)
        XCTAssertTrue(page.contains("    w(1)_1,1+ = w(1)_1,1' - eta * (m_w(1)_1,1+ / (1 - beta1^t)) / (sqrt(v_w(1)_1,1+ / (1 - beta2^t)) + eps) = \(n(decayed)) - 0.1 * "), page)
        XCTAssertTrue(page.contains(" = \(n(w))\n"), page)
        // During the warm-up, the rate's line is the linear ramp.
        let warm = try explain(optimizer: "adamw", schedule: "{name: cosine, t_max: 4, warmup: 2, every: step}", step: 2)
        XCTAssertTrue(warm.contains("    eta = eta0 * k / 2 = 0.1 * 1 / 2 = 0.05\n"), warm)
    }

    func testCenteredRMSpropWithMomentumUnderAnExponentialSchedule() throws {
        // Rates 0.1, 0.05 (gamma 0.5 per update). alpha 0.9, mu 0.5, eps 1e-8.
        // Step 1: g = -4, v = 1.6, a = -0.4, d = sqrt(1.6 - 0.16) + 1e-8 = 1.2 + 1e-8,
        // buf = -4 / d, w = 0.5 - 0.1 buf (about 0.833333333).
        var w = 0.5, v = 0.0, a = 0.0, buf = 0.0
        var rows: [(g: Double, v0: Double, a0: Double, buf0: Double, w0: Double, v: Double, a: Double, d: Double, buf: Double, w: Double)] = []
        for lr in [0.1, 0.05] {
            let g = ExplainSpecs.oneUnitGradient(w), v0 = v, a0 = a, buf0 = buf, w0 = w
            v = 0.9 * v + (1 - 0.9) * g * g
            a = 0.9 * a + (1 - 0.9) * g
            let d = (v - a * a).squareRoot() + 1e-8
            buf = 0.5 * buf + g / d
            w = w - lr * buf
            rows.append((g, v0, a0, buf0, w0, v, a, d, buf, w))
        }
        XCTAssertEqual(rows[0].w, 0.5 + 0.1 * 4 / 1.2, accuracy: 1e-8)
        let r = rows[1]
        let page = try explain(optimizer: "{name: rmsprop, alpha: 0.9, centered: true, momentum: 0.5}",
                               schedule: "{name: exponential, gamma: 0.5, every: step}", step: 2)
        XCTAssertTrue(page.contains("    eta = eta0 * gamma^k = 0.1 * 0.5^1 = 0.05\n"), page)
        XCTAssertTrue(page.contains("    v_w(1)_1,1+ = alpha * v_w(1)_1,1 + (1 - alpha) * (dE_total/dw(1)_1,1)^2 = 0.9 * \(o(r.v0)) + 0.1 * \(o(r.g))^2 = \(n(r.v))\n"), page)
        XCTAssertTrue(page.contains("    a_w(1)_1,1+ = alpha * a_w(1)_1,1 + (1 - alpha) * dE_total/dw(1)_1,1 = 0.9 * \(o(r.a0)) + 0.1 * \(o(r.g)) = \(n(r.a))\n"), page)
        XCTAssertTrue(page.contains("    d_w(1)_1,1 = sqrt(v_w(1)_1,1+ - (a_w(1)_1,1+)^2) + eps = sqrt(\(n(r.v)) - \(o(r.a))^2) + 1e-08 = \(n(r.d))\n"), page)
        XCTAssertTrue(page.contains("    buf_w(1)_1,1+ = mu * buf_w(1)_1,1 + (dE_total/dw(1)_1,1) / (d_w(1)_1,1) = 0.5 * \(o(r.buf0)) + (\(n(r.g))) / (\(n(r.d))) = \(n(r.buf))\n"), page)
        XCTAssertTrue(page.contains("    w(1)_1,1+ = w(1)_1,1 - eta * buf_w(1)_1,1+ = \(n(r.w0)) - 0.05 * \(o(r.buf)) = \(n(r.w))\n"), page)
        XCTAssertTrue(page.contains("(exponential schedule; this step's rate 0.05)"), page)
    }

    func testPlainRMSpropShowsTheSquareRootDenominator() throws {
        // Step 1 of rmsprop (alpha 0.99) under a step schedule: rate 0.1; v = 0.01 * 16 = 0.16,
        // d = 0.4 + 1e-8, w = 0.5 - 0.1 (-4) / d, about 1.5.
        let v = (1 - 0.99) * 16.0, d = v.squareRoot() + 1e-8
        let page = try explain(optimizer: "rmsprop", schedule: "{name: step, step_size: 2, gamma: 0.5}", step: 1)
        XCTAssertTrue(page.contains("    eta = eta0 * gamma^floor(k / 2) = 0.1 * 0.5^0 = 0.1\n"), page)
        XCTAssertTrue(page.contains("    d_w(1)_1,1 = sqrt(v_w(1)_1,1+) + eps = sqrt(\(n(v))) + 1e-08 = \(n(d))\n"), page)
        XCTAssertTrue(page.contains("    w(1)_1,1+ = w(1)_1,1 - eta * (dE_total/dw(1)_1,1) / (d_w(1)_1,1) = 0.5 - 0.1 * (-4) / (\(n(d))) = \(n(0.5 - 0.1 * (-4 / d)))\n"), page)
    }
}
