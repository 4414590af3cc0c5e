import Running
import Spec
import TestSupport
import XCTest

/// Small cases whose every number is derived by hand in the test.
final class HandDerivationTests: XCTestCase {
    /// y = w x + b, two samples, half squared error, batch mean.
    ///   step 0: outputs 0.5*1 + 0.1 = 0.6 and 0.5*3 + 0.1 = 1.6
    ///           losses 1/2 (2 - 0.6)^2 = 0.98 and 1/2 (1 - 1.6)^2 = 0.18, mean 0.58
    ///   dE/dw = mean((o - t) x) = ((-1.4)(1) + (0.6)(3)) / 2 = 0.2
    ///   dE/db = mean(o - t) = (-1.4 + 0.6) / 2 = -0.4
    ///   step 1 (lr 0.1): w = 0.48, b = 0.14; outputs 0.62, 1.58
    ///           losses 1/2 (1.38)^2 = 0.9522 and 1/2 (0.58)^2 = 0.1682, mean 0.5602
    func testTwoSamplesAverageTheirGradients() throws {
        let result = try Training.run(TestSpecs.twoSampleLine)
        XCTAssertEqual(result.initial.loss, 0.58, accuracy: 1e-15)
        XCTAssertEqual(result.initial.outputs[0][0], 0.6, accuracy: 1e-15)
        XCTAssertEqual(result.initial.outputs[1][0], 1.6, accuracy: 1e-15)
        let layer = try XCTUnwrap(result.trace.first?.layers.first)
        XCTAssertEqual(layer.delta[0][0], -1.4, accuracy: 1e-15, "per-sample delta, without the 1/batch factor")
        XCTAssertEqual(layer.delta[1][0], 0.6, accuracy: 1e-15)
        XCTAssertEqual(layer.weightGradient[0][0], 0.2, accuracy: 1e-15)
        XCTAssertEqual(layer.biasGradient?[0] ?? .nan, -0.4, accuracy: 1e-15)
        XCTAssertEqual(result.final.layers[0].weights[0][0], 0.48, accuracy: 1e-15)
        XCTAssertEqual(result.final.layers[0].bias?[0] ?? .nan, 0.14, accuracy: 1e-15)
        XCTAssertEqual(result.final.loss, 0.5602, accuracy: 1e-14)
        XCTAssertEqual(result.history.steps, [0, 1])
    }

    /// Reader comment 10 of the tutorial trains one bias per output unit and prints the
    /// new output biases after one step: 0.6 - 0.5 delta_o1 = 0.5307507191857215 and
    /// 0.6 - 0.5 delta_o2 = 0.6190491182582781.
    func testPerUnitOutputBiasesMatchReaderComment10() throws {
        let text = try TestSpecs.derived(from: Repository.specWithoutExpectations("specs/tutorial.yaml"), setting: [
            "model.layers[1].bias": "[0.60, 0.60]", "training.train_biases": "true", "training.steps": "1",
        ])
        let output = try XCTUnwrap(Training.run(text).trace.first?.layers[1])
        XCTAssertEqual(Printed.rounded(output.bias?[0] ?? .nan, like: "0.5307507191857215"), "0.5307507191857215")
        XCTAssertEqual(Printed.rounded(output.bias?[1] ?? .nan, like: "0.6190491182582781"), "0.6190491182582781")
    }

    /// A shared bias is one parameter: its gradient is delta_o1 + delta_o2 (the errata in Docs/tutorial.md, last row).
    /// With the tutorial's delta_o1 = 0.138498562 and reader comment 5's factors
    /// delta_o2 = -0.21707153 * 0.17551005 = -0.038098237, the gradient is 0.100400325 and
    /// b2+ = 0.6 - 0.5 (0.100400325) = 0.54979984 (8 places; the 9th depends on how the
    /// printed inputs were rounded).
    func testSharedBiasGradientIsTheSumOfTheUnitsDeltas() throws {
        let text = try TestSpecs.derived(from: Repository.specWithoutExpectations("specs/tutorial.yaml"),
                                         setting: ["training.train_biases": "true", "training.steps": "1"])
        let output = try XCTUnwrap(Training.run(text).trace.first?.layers[1])
        XCTAssertEqual(Printed.rounded(output.biasGradient?[0] ?? .nan, like: "0.100400325"), "0.100400325")
        XCTAssertEqual(Printed.rounded(output.bias?[0] ?? .nan, like: "0.54979984"), "0.54979984")
        XCTAssertEqual(output.bias?[0], output.bias?[1], "a shared bias is repeated per unit")
    }

    /// relu'(0) = 0 (PyTorch's choice): with net exactly 0 nothing flows back.
    func testReluDerivativeAtZeroIsZero() throws {
        let result = try Training.run(TestSpecs.reluKink)
        let hidden = try XCTUnwrap(result.trace.first?.layers[0])
        XCTAssertEqual(hidden.net[0][0], 0)
        XCTAssertEqual(hidden.slope[0][0], 0)
        XCTAssertEqual(hidden.weightGradient, [[0, 0]])
    }

    func testActivationValuesAndDerivatives() {
        // sigmoid never overflows: e^-x is only formed for x >= 0.
        XCTAssertEqual(Activation.sigmoid.value(-1000), 0)
        XCTAssertEqual(Activation.sigmoid.value(1000), 1)
        XCTAssertEqual(Activation.sigmoid.value(0), 0.5)
        XCTAssertEqual(Activation.sigmoid.derivative(net: 0, out: 0.5), 0.25)
        XCTAssertEqual(Activation.tanh.derivative(net: 0, out: 0), 1)
        XCTAssertEqual(Activation.relu.value(-2), 0)
        XCTAssertEqual(Activation.relu.value(2), 2)
        XCTAssertEqual(Activation.relu.derivative(net: 2, out: 2), 1)
        XCTAssertEqual(Activation.linear.value(-3), -3)
        XCTAssertEqual(Activation.linear.derivative(net: -3, out: -3), 1)
        // Each derivative against a central difference of its own value at a few points.
        for activation in [Activation.sigmoid, .tanh, .relu, .linear] {
            for x in [-2.5, -0.3, 0.7, 3.1] {
                let h = 1e-6
                let numeric = (activation.value(x + h) - activation.value(x - h)) / (2 * h)
                XCTAssertEqual(activation.derivative(net: x, out: activation.value(x)), numeric, accuracy: 1e-8,
                               "\(activation) at \(x)")
            }
        }
    }

    /// A loss that becomes infinite stops training with status "diverged" at that step.
    func testDivergingRunStopsWithStatusDiverged() throws {
        let result = try Training.run(TestSpecs.divergent)
        XCTAssertEqual(result.status, .diverged)
        XCTAssertLessThan(result.steps, 1000)
        XCTAssertEqual(result.history.steps.last, result.steps)
        XCTAssertFalse(result.final.loss.isFinite)
    }
}
