import Running
import Spec
import TestSupport
import Validation
import XCTest

/// The gradients the runner records against central finite differences of the loss:
/// dL/dp ~ (L(p + h) - L(p - h)) / 2h, with L the mean per-sample loss at step 0.
/// The error of the central difference is O(h^2 L'''), about 1e-10 here, far below
/// the 1e-7 relative tolerance.
final class GradientCheckTests: XCTestCase {
    /// Three layers, each activation, every kind of bias, three samples.
    static let network = """
        nnrun: 1
        name: gradient-check
        model:
          inputs: 3
          layers:
            - name: first
              units: 4
              activation: tanh
              weights: [[0.2, -0.4, 0.3], [0.5, 0.1, -0.2], [-0.3, 0.6, 0.4], [0.1, 0.2, 0.3]]
              bias: [0.1, -0.1, 0.05, 0.2]
            - name: second
              units: 3
              activation: relu
              weights: [[0.7, -0.2, 0.4, 0.3], [0.3, 0.5, -0.6, 0.2], [-0.4, 0.3, 0.5, 0.6]]
              bias: 0.3
            - name: third
              units: 2
              activation: sigmoid
              weights: [[0.6, -0.5, 0.4], [-0.3, 0.8, 0.2]]
            - name: out
              units: 2
              activation: linear
              weights: [[1.2, -0.7], [0.4, 0.9]]
              bias: [0.05, -0.05]
        data:
          - {inputs: [0.5, -1.0, 0.25], targets: [0.3, -0.2]}
          - {inputs: [1.5, 0.5, -0.75], targets: [-0.1, 0.6]}
          - {inputs: [-0.5, 0.8, 1.0], targets: [0.9, 0.1]}
        training:
          loss: half_squared_error
          learning_rate: 0.1
          steps: 1
        record:
          trace: [1]
        """

    static func loss(_ spec: ValidatedSpec) -> Double {
        Training.run(spec).initial.loss
    }

    static func centralDifference(_ spec: ValidatedSpec, _ perturb: (inout ValidatedSpec, Double) -> Void) -> Double {
        let h = 1e-6
        var plus = spec, minus = spec
        perturb(&plus, h)
        perturb(&minus, -h)
        return (Self.loss(plus) - Self.loss(minus)) / (2 * h)
    }

    static func assertClose(_ recorded: Double, _ numeric: Double, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        let tolerance = 1e-7 * max(1, abs(numeric))
        XCTAssertLessThanOrEqual(abs(recorded - numeric), tolerance,
                                 "\(what): recorded \(recorded), finite difference \(numeric)", file: file, line: line)
    }

    /// Checks every weight and bias gradient of step 1 of `text` against central differences.
    static func assertGradientsMatchFiniteDifferences(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let spec = try Training.validate(text)
        let trace = try XCTUnwrap(Training.run(spec).trace.first, file: file, line: line)
        for (l, layer) in spec.layers.enumerated() {
            for u in 0..<layer.units {
                for i in 0..<layer.inputCount {
                    let numeric = Self.centralDifference(spec) { spec, h in
                        if case .listed(var rows) = spec.layers[l].weights { rows[u][i] += h; spec.layers[l].weights = .listed(rows) }
                    }
                    Self.assertClose(trace.layers[l].weightGradient[u][i], numeric, "\(layer.name).weights[\(u)][\(i)]",
                                     file: file, line: line)
                }
            }
            if case .perUnit(let values) = layer.bias {
                for u in values.indices {
                    let numeric = Self.centralDifference(spec) {
                        if case .perUnit(var b) = $0.layers[l].bias { b[u] += $1; $0.layers[l].bias = .perUnit(b) }
                    }
                    Self.assertClose(trace.layers[l].biasGradient?[u] ?? .nan, numeric, "\(layer.name).bias[\(u)]",
                                     file: file, line: line)
                }
            }
        }
    }

    func testWeightGradientsMatchFiniteDifferences() throws {
        let spec = try Training.validate(Self.network)
        let trace = try XCTUnwrap(Training.run(spec).trace.first)
        var checked = 0
        for (l, layer) in spec.layers.enumerated() {
            for u in 0..<layer.units {
                for i in 0..<layer.inputCount {
                    let numeric = Self.centralDifference(spec) { spec, h in
                        if case .listed(var rows) = spec.layers[l].weights { rows[u][i] += h; spec.layers[l].weights = .listed(rows) }
                    }
                    Self.assertClose(trace.layers[l].weightGradient[u][i], numeric, "\(layer.name).weights[\(u)][\(i)]")
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 12 + 12 + 6 + 4)
    }

    func testBiasGradientsMatchFiniteDifferencesForSharedAndPerUnitBiases() throws {
        let spec = try Training.validate(Self.network)
        let trace = try XCTUnwrap(Training.run(spec).trace.first)
        for (l, layer) in spec.layers.enumerated() {
            switch layer.bias {
            case .none:
                XCTAssertNil(trace.layers[l].biasGradient)
            case .shared:
                // One parameter: its gradient is the sum of the units' deltas (averaged over samples).
                let numeric = Self.centralDifference(spec) {
                    if case .shared(let b) = $0.layers[l].bias { $0.layers[l].bias = .shared(b + $1) }
                }
                XCTAssertEqual(trace.layers[l].biasGradient?.count, 1)
                Self.assertClose(trace.layers[l].biasGradient?[0] ?? .nan, numeric, "\(layer.name).bias (shared)")
            case .perUnit(let values):
                for u in values.indices {
                    let numeric = Self.centralDifference(spec) {
                        if case .perUnit(var b) = $0.layers[l].bias { b[u] += $1; $0.layers[l].bias = .perUnit(b) }
                    }
                    Self.assertClose(trace.layers[l].biasGradient?[u] ?? .nan, numeric, "\(layer.name).bias[\(u)]")
                }
            case .drawn:
                XCTFail("the network lists its biases")
            }
        }
    }

    /// Plain SGD: every trained parameter moves by -learning_rate times its gradient.
    func testSGDStepSubtractsLearningRateTimesGradient() throws {
        let spec = try Training.validate(Self.network)
        let trace = try XCTUnwrap(Training.run(spec).trace.first)
        for (l, layer) in spec.layers.enumerated() {
            guard case .listed(let initial) = layer.weights else { return XCTFail("weights are listed") }
            for u in 0..<layer.units {
                for i in 0..<layer.inputCount {
                    XCTAssertEqual(trace.layers[l].weights[u][i],
                                   initial[u][i] - 0.1 * trace.layers[l].weightGradient[u][i])
                }
            }
        }
        if case .shared(let b) = spec.layers[1].bias {
            let expected = b - 0.1 * (trace.layers[1].biasGradient?[0] ?? .nan)
            XCTAssertEqual(trace.layers[1].bias, [expected, expected, expected])
        }
    }

    /// With the same trained network, deferred and immediate differ only below the top
    /// layer, and immediate's hidden dE/dout uses the already-updated weights above:
    /// dOut_below[s][i] = sum_u W+[u][i] delta[s][u].
    func testImmediateOrderPropagatesThroughUpdatedWeights() throws {
        var spec = try Training.validate(Self.network)
        spec.training.update = .immediate
        let trace = try XCTUnwrap(Training.run(spec).trace.first)
        for l in 1..<spec.layers.count {
            let above = trace.layers[l], below = trace.layers[l - 1]
            for s in 0..<3 {
                for i in 0..<spec.layers[l].inputCount {
                    var sum = 0.0
                    for u in 0..<spec.layers[l].units { sum += above.weights[u][i] * above.delta[s][u] }
                    XCTAssertEqual(below.dOut[s][i], sum, accuracy: 1e-15)
                }
            }
        }
        var deferredSpec = spec
        deferredSpec.training.update = .deferred
        let deferred = try XCTUnwrap(Training.run(deferredSpec).trace.first)
        XCTAssertEqual(deferred.layers[3].weightGradient, trace.layers[3].weightGradient)
        XCTAssertNotEqual(deferred.layers[2].weightGradient, trace.layers[2].weightGradient)
    }
}
