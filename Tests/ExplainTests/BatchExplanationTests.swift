import Foundation
import TestSupport
import XCTest

/// Numbers as explain prints them, and after an operator.
private func n(_ value: Double) -> String { Printed.explained(value) }
private func o(_ value: Double) -> String { Printed.explainedOperand(value) }

/// explain on a step of several samples: the walked sample's own quantities carry (s),
/// and every gradient of E_total, biases included, is the batch mean. Expected numbers
/// are derived in each test from the formulas, not read from nnrun.
final class BatchExplanationTests: XCTestCase {
    private func explain(_ spec: String, _ arguments: [String] = []) throws -> String {
        let url = try NnrunProcess.temporaryFolder().appendingPathComponent("batch.yaml")
        try spec.write(to: url, atomically: true, encoding: .utf8)
        return try ExplainSpecs.page(url, arguments)
    }

    private func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// The case a new user reported: one sigmoid unit, binary cross entropy, samples
    /// [1, 2] -> 1 and [-1, 0.5] -> 0 in one full batch, walked at sample 1.
    private let reported = """
        nnrun: 1
        name: reported
        model:
          inputs: 2
          layers:
            - {name: out, units: 1, activation: sigmoid, weights: [[0.1, -0.2]], bias: [0]}
        data:
          - {inputs: [1, 2], targets: [1]}
          - {inputs: [-1, 0.5], targets: [0]}
        training: {loss: binary_cross_entropy, learning_rate: 0.5, steps: 1}
        """

    func testPerSampleQuantitiesHaveTheirOwnSymbolsAndBatchGradientsAreMeans() throws {
        let page = try explain(reported, ["--sample", "1"])
        // net = 0.1 x1 - 0.2 x2: -0.3 for sample 0, -0.2 for sample 1. With sigmoid and
        // binary cross entropy, delta = out - target.
        let out0 = sigmoid(-0.3), out1 = sigmoid(-0.2)
        let delta0 = out0 - 1, delta1 = out1 - 0
        XCTAssertEqual(n(delta1), "0.450166003", "the reported delta")
        let e0 = -log(out0), e1 = -log(1 - out1)
        // The walked sample's own loss and delta are E_s and delta_o1(s) ...
        XCTAssertTrue(page.contains("    E_s = E_o1(s) = \(n(e1))\n"), page)
        XCTAssertTrue(page.contains("    E_total = 1/2 sum_s E_s = 1/2 (\(n(e0)) + \(n(e1))) = \(n((e0 + e1) / 2))\n"))
        XCTAssertTrue(page.contains("    delta_o1(s) = dE_s/dnet_o1 = out - target = \(n(out1)) - 0 = \(n(delta1))\n"))
        // ... its share of a weight's gradient is dE_s/dw, not dE_total/dw ...
        XCTAssertTrue(page.contains("    dE_s/dw(1)_1,1 = \(n(delta1)) * (-1) = \(n(-delta1))\n"), page)
        // ... and each gradient of E_total is the batch mean, weights and bias alike.
        let gradient = (delta0 * 1 + delta1 * -1) / 2, biasGradient = (delta0 + delta1) / 2
        XCTAssertEqual(n(gradient), "-0.51230426")
        XCTAssertEqual(n(biasGradient), "-0.062138257")
        XCTAssertTrue(page.contains("    dE_total/dw(1)_1,1 = 1/2 sum_s delta_o1(s) * i1(s) = 1/2 (\(o(delta0)) * 1 + \(n(delta1)) * (-1)) = \(n(gradient))\n"))
        XCTAssertTrue(page.contains("    dE_total/db(1)_1 = 1/2 sum_s delta_o1(s) = 1/2 (\(o(delta0)) + \(n(delta1))) = \(n(biasGradient))\n"))
        let totals = page.split(separator: "\n").filter { $0.hasPrefix("    dE_total/dw(1)_1,1 = ") || $0.hasPrefix("    dE_total/db(1)_1 = ") }
        XCTAssertEqual(totals.count, 2, "one value per batch symbol: \(totals)")
    }

    func testAfterTheUpdateComparesTheTrainingSetLossBeforeAndAfter() throws {
        let page = try explain(reported)
        // The update by hand, learning rate 0.5, then the mean loss over both samples.
        let out0 = sigmoid(-0.3), out1 = sigmoid(-0.2)
        let delta0 = out0 - 1, delta1 = out1
        let w1 = 0.1 - 0.5 * (delta0 * 1 + delta1 * -1) / 2, w2 = -0.2 - 0.5 * (delta0 * 2 + delta1 * 0.5) / 2
        let b = 0 - 0.5 * (delta0 + delta1) / 2
        func loss(_ w1: Double, _ w2: Double, _ b: Double) -> Double {
            (-log(sigmoid(w1 * 1 + w2 * 2 + b)) - log(1 - sigmoid(w1 * -1 + w2 * 0.5 + b))) / 2
        }
        let before = loss(0.1, -0.2, 0), after = loss(w1, w2, b)
        XCTAssertTrue(page.contains("    E_train: \(n(before)) -> \(n(after))   (change \(n(after - before)))\n"), page)
        XCTAssertTrue(page.contains("mean error over all 2 training samples"))
        XCTAssertTrue(page.contains("This step's batch is the whole training set, so the value before the step is E_total"))
    }

    func testAMiniBatchSaysItsLossIsNotTheTrainingSetLoss() throws {
        let spec = try TestSpecs.derived(from: reported.replacing(exactlyOnce: "steps: 1}", with: "steps: 1, batch: 1}"),
                                         setting: ["training.steps": "2"])
        let page = try explain(spec, ["--step", "2"])
        // Step 2 takes sample 1 alone, starting from the parameters after step 1 (sample 0 alone).
        let delta0 = sigmoid(-0.3) - 1
        let w1 = 0.1 - 0.5 * delta0, w2 = -0.2 - 0.5 * delta0 * 2, b = -0.5 * delta0
        let batchLoss = -log(1 - sigmoid(-w1 + 0.5 * w2 + b))
        let prose = page.replacingOccurrences(of: "\n", with: " ")
        XCTAssertTrue(prose.contains("This step's loss E_total = \(n(batchLoss)) above is the loss on this step's one sample only; it is not comparable with the training-set loss."), page)
        let before = (-log(sigmoid(w1 + 2 * w2 + b)) + batchLoss) / 2
        XCTAssertTrue(page.contains("    E_train: \(n(before)) -> "), "the training-set loss after step 1")
    }

    func testASharedBiasSumsItsUnitsAndAveragesTheBatch() throws {
        let page = try explain("""
            nnrun: 1
            name: shared
            model:
              inputs: 1
              layers:
                - {name: out, units: 2, activation: linear, weights: [[1], [2]], bias: 0.5}
            data:
              - {inputs: [1], targets: [0, 0]}
              - {inputs: [3], targets: [1, 1]}
            training: {loss: half_squared_error, learning_rate: 0.1, steps: 1}
            """)
        // out = w x + 0.5: [1.5, 2.5] and [3.5, 6.5]; delta = out - target: [1.5, 2.5] and [2.5, 5.5].
        // dE_total/db = 1/2 ((1.5 + 2.5) + (2.5 + 5.5)) = 6.
        XCTAssertTrue(page.contains("    dE_total/db(1) = 1/2 sum_s (delta_o1(s) + delta_o2(s)) = 1/2 ((1.5 + 2.5) + (2.5 + 5.5)) = 6\n"), page)
    }
}
