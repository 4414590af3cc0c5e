import CKernels
import Foundation
import Planning
import Running
import Spec
import TestSupport
import Validation
import XCTest

/// Activations, losses, optimizers, batching and initializers, each against an
/// independent computation: finite differences for gradients, scalar recurrences written
/// out here for optimizer steps, the documented formulas for initial weights.
final class TrainingBreadthTests: XCTestCase {
    /// A two-layer spec with the given hidden and output activations and loss, three samples.
    private func network(hidden: String, output: String, loss: String, outputs: Int = 2,
                         targets: [[Double]] = [[0.2, 0.8], [1, 0], [0.5, 0.5]]) -> String {
        let outputWeights = outputs == 1 ? "[[0.6, -0.5, 0.4]]" : "[[0.6, -0.5, 0.4], [-0.3, 0.8, 0.2]]"
        let outputBias = outputs == 1 ? "[0.05]" : "[0.05, -0.05]"
        let inputs = [[0.5, -1.0], [1.5, 0.5], [-0.5, 0.8]]
        let data = zip(inputs, targets).map { "  - {inputs: \($0), targets: \(Array($1.prefix(outputs)))}" }
        return """
            nnrun: 1
            name: check
            model:
              inputs: 2
              layers:
                - {name: hidden, units: 3, activation: \(hidden), weights: [[0.2, -0.4], [0.5, 0.1], [-0.3, 0.6]], bias: [0.1, -0.1, 0.05]}
                - {name: out, units: \(outputs), activation: \(output), weights: \(outputWeights), bias: \(outputBias)}
            data:
            \(data.joined(separator: "\n"))
            training: {loss: \(loss), learning_rate: 0.1, steps: 1}
            record: {trace: [1]}
            """
    }

    // MARK: Gradients against finite differences

    func testLeakyReluWithMSEGradients() throws {
        try GradientCheckTests.assertGradientsMatchFiniteDifferences(
            network(hidden: "leaky_relu", output: "linear", loss: "mse").replacing(
                exactlyOnce: "activation: leaky_relu,", with: "activation: leaky_relu, alpha: 0.1,"))
    }

    func testTanhSigmoidWithBinaryCrossEntropyGradients() throws {
        try GradientCheckTests.assertGradientsMatchFiniteDifferences(
            network(hidden: "tanh", output: "sigmoid", loss: "binary_cross_entropy",
                    targets: [[0, 1], [1, 1], [0.25, 0]]))
    }

    func testReluSoftmaxWithCrossEntropyGradients() throws {
        try GradientCheckTests.assertGradientsMatchFiniteDifferences(
            network(hidden: "relu", output: "softmax", loss: "cross_entropy", outputs: 2,
                    targets: [[0, 1], [1, 0], [0.3, 0.7]]))
    }

    func testSigmoidWithHalfSquaredErrorAndThreeClassSoftmax() throws {
        try GradientCheckTests.assertGradientsMatchFiniteDifferences(
            network(hidden: "sigmoid", output: "linear", loss: "half_squared_error"))
    }

    // MARK: Loss values against their definitions

    /// The losses computed from logits equal their textbook forms on moderate values.
    func testLossValuesMatchTheirDefinitions() throws {
        let bce = try Training.run(network(hidden: "tanh", output: "sigmoid", loss: "binary_cross_entropy",
                                           targets: [[0, 1], [1, 1], [0.25, 0]]))
        let o = bce.initial.outputs, t: [[Double]] = [[0, 1], [1, 1], [0.25, 0]]
        var expected = 0.0
        for s in 0..<3 { for k in 0..<2 { expected += -(t[s][k] * log(o[s][k]) + (1 - t[s][k]) * log(1 - o[s][k])) } }
        XCTAssertEqual(bce.initial.loss, expected / 3, accuracy: 1e-14)

        let ce = try Training.run(network(hidden: "relu", output: "softmax", loss: "cross_entropy",
                                          targets: [[0, 1], [1, 0], [0.3, 0.7]]))
        let p = ce.initial.outputs, y: [[Double]] = [[0, 1], [1, 0], [0.3, 0.7]]
        var crossEntropy = 0.0
        for s in 0..<3 {
            XCTAssertEqual(p[s].reduce(0, +), 1, accuracy: 1e-15, "softmax rows sum to 1")
            for k in 0..<2 { crossEntropy -= y[s][k] * log(p[s][k]) }
        }
        XCTAssertEqual(ce.initial.loss, crossEntropy / 3, accuracy: 1e-14)

        let mse = try Training.run(network(hidden: "tanh", output: "linear", loss: "mse"))
        let m = mse.initial.outputs, z: [[Double]] = [[0.2, 0.8], [1, 0], [0.5, 0.5]]
        var squared = 0.0
        for s in 0..<3 { for k in 0..<2 { squared += (z[s][k] - m[s][k]) * (z[s][k] - m[s][k]) / 2 } }
        XCTAssertEqual(mse.initial.loss, squared / 3, accuracy: 1e-15)
    }

    /// Accuracy: argmax for cross_entropy; per-element 0.5 threshold for binary cross entropy.
    func testAccuracyDefinitions() throws {
        let ce = try Training.run(network(hidden: "relu", output: "softmax", loss: "cross_entropy",
                                          targets: [[0, 1], [1, 0], [0.3, 0.7]]))
        let outputs = ce.initial.outputs
        let argmaxRight = zip(outputs, [1, 0, 1]).filter { ($0[1] > $0[0] ? 1 : 0) == $1 }.count
        XCTAssertEqual(ce.initial.accuracy, Double(argmaxRight) / 3)
        let bce = try Training.run(network(hidden: "tanh", output: "sigmoid", loss: "binary_cross_entropy",
                                           targets: [[0, 1], [1, 1], [0.25, 0]]))
        let t: [[Double]] = [[0, 1], [1, 1], [0.25, 0]]
        var right = 0
        for s in 0..<3 { for k in 0..<2 where (bce.initial.outputs[s][k] > 0.5) == (t[s][k] > 0.5) { right += 1 } }
        XCTAssertEqual(bce.initial.accuracy, Double(right) / 6)
        XCTAssertNil(try Training.run(network(hidden: "tanh", output: "linear", loss: "mse")).initial.accuracy)
    }

    /// Logits of +-1e4 overflow no exponential: sigmoid, softmax, and both cross entropies stay finite.
    func testExtremeLogitsStayFinite() {
        XCTAssertEqual(Activation.sigmoid.value(1e4), 1)
        XCTAssertEqual(Activation.sigmoid.value(-1e4), 0)
        var z = [1e4, -1e4, 0], out = [0.0, 0, 0]
        _ = nn_softmax(NN_KERNEL_GENERIC, &z, &out, 3)
        XCTAssertEqual(out, [1, 0, 0])
    }

    func testExtremeLogitLossesAreFinite() throws {
        for (output, loss, targets) in [("sigmoid", "binary_cross_entropy", "[1]"), ("softmax", "cross_entropy", "[1, 0]")] {
            let units = output == "sigmoid" ? 1 : 2
            let weights = units == 1 ? "[[1e4]]" : "[[1e4], [-1e4]]"
            let result = try Training.run("""
                nnrun: 1
                name: extreme
                model:
                  inputs: 1
                  layers:
                    - {name: out, units: \(units), activation: \(output), weights: \(weights)}
                data:
                  - {inputs: [-1], targets: \(targets)}
                training: {loss: \(loss), learning_rate: 0.1, steps: 1}
                """)
            // The target class has logit -1e4 (against 0 for bce, +1e4 for the other class):
            // loss 1e4 and 2e4 exactly, not inf or nan.
            XCTAssertEqual(result.initial.loss, units == 1 ? 1e4 : 2e4, accuracy: 1e-9, loss)
        }
    }

    // MARK: Optimizers against scalar recurrences

    /// One weight w, input 1, target 0, half squared error: E = w^2 / 2, dE/dw = w.
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

    func testSGDWithMomentum() throws {
        // buf_t = 0.9 buf_{t-1} + g_t (buf_1 = g_1), w_t = w_{t-1} - 0.1 buf_t, g = w:
        // w1 = 1 - 0.1 * 1 = 0.9; buf2 = 0.9 + 0.9 = 1.8, w2 = 0.72; buf3 = 1.62 + 0.72 = 2.34, w3 = 0.486
        let w = try oneWeight(optimizer: "{name: sgd, momentum: 0.9}", steps: 3)
        XCTAssertEqual(w[0], 0.9, accuracy: 1e-15)
        XCTAssertEqual(w[1], 0.72, accuracy: 1e-15)
        XCTAssertEqual(w[2], 0.486, accuracy: 1e-15)
    }

    func testSGDWithNesterovMomentum() throws {
        // g' = g + 0.9 buf: w1 = 1 - 0.1 (1 + 0.9) = 0.81;
        // buf2 = 0.9 + 0.81 = 1.71, g' = 0.81 + 1.539 = 2.349, w2 = 0.81 - 0.2349 = 0.5751
        let w = try oneWeight(optimizer: "{name: sgd, momentum: 0.9, nesterov: true}", steps: 2)
        XCTAssertEqual(w[0], 0.81, accuracy: 1e-15)
        XCTAssertEqual(w[1], 0.5751, accuracy: 1e-15)
    }

    func testSGDWithWeightDecay() throws {
        // g = w + 0.1 w = 1.1 w: w_t = w_{t-1} (1 - 0.11): 0.89, 0.7921
        let w = try oneWeight(optimizer: "{name: sgd, weight_decay: 0.1}", steps: 2)
        XCTAssertEqual(w[0], 0.89, accuracy: 1e-15)
        XCTAssertEqual(w[1], 0.7921, accuracy: 1e-15)
    }

    func testAdamMatchesItsBiasCorrectedRecurrence() throws {
        let w = try oneWeight(optimizer: "{name: adam, weight_decay: 0.01}", steps: 5)
        // The recurrence of torch.optim.Adam written out for one scalar (lr 0.1, defaults).
        var expected: [Double] = []
        var p = 1.0, m = 0.0, v = 0.0
        for t in 1...5 {
            let g = p + 0.01 * p
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            let mHat = m / (1 - pow(0.9, Double(t)))
            let vHat = v / (1 - pow(0.999, Double(t)))
            p -= 0.1 * mHat / (vHat.squareRoot() + 1e-8)
            expected.append(p)
        }
        for (ours, reference) in zip(w, expected) { XCTAssertEqual(ours, reference, accuracy: 1e-14) }
        // Adam's first step moves by about the learning rate whatever the gradient's size.
        XCTAssertEqual(w[0], 0.9, accuracy: 1e-8)
    }

    // MARK: Batching

    /// y = w x, four samples; batches of 2 in order: step 1 uses samples 0 and 1,
    /// step 2 uses 2 and 3, step 3 starts the second epoch.
    private let fourSamples = """
        nnrun: 1
        name: batches
        model:
          inputs: 1
          layers:
            - {name: out, units: 1, activation: linear, weights: [[0.5]]}
        data:
          - {inputs: [1], targets: [1]}
          - {inputs: [2], targets: [1]}
          - {inputs: [3], targets: [1]}
          - {inputs: [4], targets: [1]}
        """

    func testMiniBatchesTakeSamplesInOrderAndAverageOverTheBatch() throws {
        let result = try Training.run(fourSamples + """

            training: {loss: half_squared_error, learning_rate: 0.01, batch: 2, epochs: 2}
            record: {trace: [1, 2, 3]}
            """)
        XCTAssertEqual(result.steps, 4, "2 epochs of 2 batches")
        XCTAssertEqual(result.trace.map { $0.samples.map(\.index) }, [[0, 1], [2, 3], [0, 1]])
        // Step 1: w = 0.5, dE/dw = mean((w x - 1) x) over x = 1, 2 = ((-0.5)(1) + (0)(2)) / 2 = -0.25
        XCTAssertEqual(result.trace[0].layers[0].weightGradient[0][0], -0.25, accuracy: 1e-15)
        XCTAssertEqual(result.trace[0].layers[0].weights[0][0], 0.5025, accuracy: 1e-15)
        // Step 2 on x = 3, 4 with w = 0.5025: ((0.5075)(3) + (1.01)(4)) / 2 = 2.78125
        XCTAssertEqual(result.trace[1].layers[0].weightGradient[0][0], 2.78125, accuracy: 1e-12)
    }

    func testOnlineTakesOneSampleAtATime() throws {
        let result = try Training.run(fourSamples + """

            training: {loss: half_squared_error, learning_rate: 0.01, batch: online, steps: 5}
            record: {trace: [1, 2, 3, 4, 5]}
            """)
        XCTAssertEqual(result.trace.map { $0.samples.map(\.index) }, [[0], [1], [2], [3], [0]])
    }

    func testLastBatchOfAnEpochMayBeSmaller() throws {
        let result = try Training.run(fourSamples + """

            training: {loss: half_squared_error, learning_rate: 0.01, batch: 3, epochs: 2}
            record: {trace: [1, 2, 3, 4]}
            """)
        XCTAssertEqual(result.trace.map { $0.samples.map(\.index) }, [[0, 1, 2], [3], [0, 1, 2], [3]])
    }

    /// Each epoch is a fresh Fisher-Yates permutation from the shuffle seed's stream.
    func testShuffleDrawsAFreshPermutationEachEpoch() throws {
        let result = try Training.run(fourSamples + """

            training: {loss: half_squared_error, learning_rate: 0.01, batch: 2, shuffle: {seed: 9}, epochs: 2}
            record: {trace: [1, 2, 3, 4]}
            """)
        var random = RandomSource(seed: 9)
        let first = random.permutation(4), second = random.permutation(4)
        XCTAssertEqual(result.trace.map { $0.samples.map(\.index) },
                       [Array(first[0..<2]), Array(first[2..<4]), Array(second[0..<2]), Array(second[2..<4])])
        XCTAssertEqual(result.trace.flatMap { $0.samples.map(\.index) }.prefix(4).sorted(), [0, 1, 2, 3])
    }

    /// The history's loss is over the whole training set, whatever the batch.
    func testHistoryLossIsOverTheWholeTrainingSet() throws {
        let result = try Training.run(fourSamples + """

            training: {loss: half_squared_error, learning_rate: 0.01, batch: 2, steps: 1}
            """)
        // After step 1, w = 0.5025: mean over x = 1..4 of (0.5025 x - 1)^2 / 2.
        let w = 0.5025
        let expected = [1.0, 2, 3, 4].map { (w * $0 - 1) * (w * $0 - 1) / 2 }.reduce(0, +) / 4
        XCTAssertEqual(result.history.loss.last ?? .nan, expected, accuracy: 1e-15)
        XCTAssertEqual(result.final.layers[0].weights[0][0], w, accuracy: 1e-15)
    }

    // MARK: Initial weights

    /// xavier_uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)), drawn row by row from
    /// the layer's seed as low + (high - low) u.
    func testXavierUniformFollowsItsFormula() throws {
        let result = try Training.run("""
            nnrun: 1
            name: init
            model:
              inputs: 3
              layers:
                - {name: out, units: 2, activation: linear, weights: {init: xavier_uniform, seed: 5}}
            data:
              - {inputs: [1, 2, 3], targets: [0, 0]}
            training: {loss: mse, learning_rate: 0.1, steps: 1}
            """)
        let a = (6.0 / 5).squareRoot()
        var random = RandomSource(seed: 5)
        let expected = (0..<2).map { _ in (0..<3).map { _ in -a + (a - -a) * random.uniform() } }
        XCTAssertEqual(result.initial.layers[0].weights, expected)
        XCTAssertTrue(expected.joined().allSatisfy { abs($0) <= a })
    }

    /// he_normal: N(0, 2 / fan_in); a spec-level seed gives layer l the (l+1)-th SplitMix64
    /// output; the draws' sample moments fit the formula.
    func testHeNormalWithDerivedSeedsFollowsItsFormula() throws {
        let spec = try Training.validate("""
            nnrun: 1
            name: init
            seed: 21
            model:
              inputs: 50
              layers:
                - {name: hidden, units: 200, activation: relu, weights: {init: he_normal}}
                - {name: out, units: 1, activation: linear, weights: {init: he_normal}}
            data:
              - {inputs: [\(Array(repeating: "0", count: 50).joined(separator: ", "))], targets: [0]}
            training: {loss: mse, learning_rate: 0.1, steps: 1}
            """)
        let plan = Planner.plan(spec)
        let weights = Array(plan.initialParameters[0..<10_000])
        let variance = weights.reduce(0) { $0 + $1 * $1 } / Double(weights.count)
        // Sample variance of 10,000 normal draws: standard error sqrt(2/n) of 2/50 = 0.04.
        XCTAssertEqual(variance, 0.04, accuracy: 5 * 0.04 * (2.0 / 10_000).squareRoot())
        XCTAssertEqual(SeedDerivation.layer(0, specSeed: 21), RandomSource.splitMix64(21))
        let explicit = Initialization.weights(.heNormal, units: 200, inputs: 50, seed: RandomSource.splitMix64(21))
        XCTAssertEqual(Array(explicit.joined()), weights)
    }
}
