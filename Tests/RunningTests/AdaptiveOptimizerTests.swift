import Foundation
import Running
import TestSupport
import XCTest

/// AdamW and RMSprop against their rules written out here for one scalar weight
/// (torch.optim.AdamW's and torch.optim.RMSprop's algorithms), first steps derived by hand.
/// The same specs against torch.optim itself: PyTorchTargetTests' CompiledScriptTests.
final class AdaptiveOptimizerTests: XCTestCase {
    /// One weight w, input 1, target 0, half squared error: E = w^2 / 2, dE/dw = w; lr 0.1.
    private func oneWeight(optimizer: String, steps: Int) throws -> [Double] {
        let result = try Training.run("""
            nnrun: 1
            name: one-weight
            model:
              inputs: 1
              layers:
                - {name: out, units: 1, activation: linear, weights: [[1.0]]}
            data:
              - {inputs: [1], targets: [0]}
            training: {loss: half_squared_error, optimizer: \(optimizer), learning_rate: 0.1, steps: \(steps)}
            record: {trace: [\((1...steps).map(String.init).joined(separator: ", "))]}
            """)
        return result.trace.map { $0.layers[0].weights[0][0] }
    }

    func testAdamWFirstStepDecaysTheWeightThenTakesAnAdamStep() throws {
        let w = try oneWeight(optimizer: "adamw", steps: 1)
        // Defaults: weight_decay 0.01. w = 1 * (1 - 0.1 * 0.01) = 0.999; g = 1 (the gradient of
        // the weight before the decay); m = 0.1, v = 0.001; m / (1 - 0.9) = 1, v / (1 - 0.999) = 1:
        // w = 0.999 - 0.1 * 1 / (1 + 1e-8).
        XCTAssertEqual(w[0], 0.999 - 0.1 / (1 + 1e-8), accuracy: 1e-15)
    }

    func testAdamWMatchesItsDecoupledRecurrence() throws {
        let w = try oneWeight(optimizer: "{name: adamw, weight_decay: 0.5, beta1: 0.8, beta2: 0.99, epsilon: 1e-6}", steps: 4)
        var expected: [Double] = []
        var p = 1.0, m = 0.0, v = 0.0
        for t in 1...4 {
            let g = p                        // dE/dw at the weight before the step
            p = p * (1 - 0.1 * 0.5)          // decoupled: the weight shrinks, the gradient is untouched
            m = 0.8 * m + 0.2 * g
            v = 0.99 * v + 0.01 * g * g
            let mHat = m / (1 - pow(0.8, Double(t)))
            let vHat = v / (1 - pow(0.99, Double(t)))
            p -= 0.1 * mHat / (vHat.squareRoot() + 1e-6)
            expected.append(p)
        }
        XCTAssertEqual(w.count, 4)
        for (ours, reference) in zip(w, expected) { XCTAssertEqual(ours, reference, accuracy: 1e-14) }
    }

    func testRMSpropFirstStepsByHand() throws {
        let w = try oneWeight(optimizer: "rmsprop", steps: 2)
        // alpha 0.99, eps 1e-8. Step 1: g = 1, v = (1 - 0.99) * 1 = 0.01, d = sqrt(0.01) + 1e-8 = 0.1 + 1e-8,
        // w1 = 1 - 0.1 * 1 / (0.1 + 1e-8) = 1e-8 / (0.1 + 1e-8), about 1e-7.
        XCTAssertEqual(w[0], 1e-7, accuracy: 1e-13)
        // The same in doubles, in the rule's order (1 - 0.99 rounds to 0.010000000000000009; the
        // subtraction cancels, so its result is good to about 1e-16 absolute).
        let v1 = (1 - 0.99) * 1.0 * 1.0
        let w1 = 1 - 0.1 * (1.0 / (v1.squareRoot() + 1e-8))
        XCTAssertEqual(w[0], w1, accuracy: 1e-22)
        // Step 2: g = w1, v = 0.99 v1 + 0.01 w1^2, w2 = w1 - 0.1 w1 / (sqrt(v) + 1e-8), about
        // w1 (1 - 1 / sqrt(0.99)) (eps moves the quotient by 1e-7 of itself, 2e-14 of w2).
        let v2 = 0.99 * v1 + (1 - 0.99) * w1 * w1
        XCTAssertEqual(w[1], w1 - 0.1 * (w1 / (v2.squareRoot() + 1e-8)), accuracy: 1e-22)
        XCTAssertEqual(w[1], w1 * (1 - 1 / 0.99.squareRoot()), accuracy: 2e-14)
    }

    /// torch.optim.RMSprop's algorithm for one scalar, with every option.
    private func rmspropRecurrence(steps: Int, alpha: Double, epsilon: Double, momentum: Double, centered: Bool,
                                   weightDecay: Double) -> [Double] {
        var p = 1.0, v = 0.0, a = 0.0, buf = 0.0
        var weights: [Double] = []
        for _ in 1...steps {
            let g = p + weightDecay * p
            v = alpha * v + (1 - alpha) * g * g
            var average = v
            if centered {
                a = alpha * a + (1 - alpha) * g
                average = v - a * a
            }
            let d = average.squareRoot() + epsilon
            if momentum > 0 {
                buf = momentum * buf + g / d
                p -= 0.1 * buf
            } else {
                p -= 0.1 * g / d
            }
            weights.append(p)
        }
        return weights
    }

    func testRMSpropWithMomentumMatchesItsRecurrence() throws {
        let w = try oneWeight(optimizer: "{name: rmsprop, alpha: 0.9, momentum: 0.5}", steps: 3)
        // Step 1 by hand: v = 0.1, d = sqrt(0.1) + 1e-8, buf = 1 / d, w1 = 1 - 0.1 / d.
        XCTAssertEqual(w[0], 1 - 0.1 / (0.1.squareRoot() + 1e-8), accuracy: 1e-15)
        let expected = rmspropRecurrence(steps: 3, alpha: 0.9, epsilon: 1e-8, momentum: 0.5, centered: false, weightDecay: 0)
        for (ours, reference) in zip(w, expected) { XCTAssertEqual(ours, reference, accuracy: 1e-14) }
    }

    func testCenteredRMSpropMatchesItsRecurrence() throws {
        let w = try oneWeight(optimizer: "{name: rmsprop, alpha: 0.9, centered: true, weight_decay: 0.1, epsilon: 1e-6}", steps: 3)
        // Step 1 by hand: g = 1.1, v = 0.1 * 1.21 = 0.121, a = 0.11, v - a^2 = 0.121 - 0.0121 = 0.1089,
        // d = 0.33 + 1e-6, w1 = 1 - 0.1 * 1.1 / (0.33 + 1e-6) = 1 - 1/3 (nearly).
        XCTAssertEqual(w[0], 1 - 0.11 / (0.33 + 1e-6), accuracy: 1e-15)
        let expected = rmspropRecurrence(steps: 3, alpha: 0.9, epsilon: 1e-6, momentum: 0, centered: true, weightDecay: 0.1)
        for (ours, reference) in zip(w, expected) { XCTAssertEqual(ours, reference, accuracy: 1e-14) }
    }

    func testCenteredRMSpropWithMomentumMatchesItsRecurrence() throws {
        let w = try oneWeight(optimizer: "{name: rmsprop, momentum: 0.9, centered: true}", steps: 3)
        let expected = rmspropRecurrence(steps: 3, alpha: 0.99, epsilon: 1e-8, momentum: 0.9, centered: true, weightDecay: 0)
        XCTAssertEqual(w.count, 3)
        for (ours, reference) in zip(w, expected) { XCTAssertEqual(ours, reference, accuracy: 1e-14) }
    }

    func testWeightDecayAppliesToBiasesToo() throws {
        // Bias b alone (weight 0, input 1, target 0): E = b^2 / 2, dE/db = b. adamw shrinks b
        // by (1 - 0.1 * 0.01) before its step, as it does a weight (SPEC-DECISIONS).
        let result = try Training.run("""
            nnrun: 1
            name: bias-decay
            model:
              inputs: 1
              layers:
                - {name: out, units: 1, activation: linear, weights: [[0.0]], bias: [1.0]}
            data:
              - {inputs: [0], targets: [0]}
            training: {loss: half_squared_error, optimizer: adamw, learning_rate: 0.1, steps: 1}
            """)
        XCTAssertEqual(result.final.layers[0].bias?[0] ?? .nan, 0.999 - 0.1 / (1 + 1e-8), accuracy: 1e-15)
    }
}
