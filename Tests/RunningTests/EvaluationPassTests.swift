import Planning
import Running
import TestSupport
import XCTest

/// A data set larger than one evaluation pass (`Planner.evaluationRows` rows) is evaluated
/// a pass at a time. Rows do not interact and the samples' losses are summed in index
/// order across the passes, so the loss, the accuracy and every output must be the bits
/// of a single pass over the whole set, written out here as plain loops.
final class EvaluationPassTests: XCTestCase {
    func testSeveralPassesGiveTheBitsOfOnePass() throws {
        let samples = 2 * Planner.evaluationRows + 77
        var random = Lcg(seed: 5)
        let inputs = (0..<samples).map { _ in (0..<3).map { _ in random.next() } }
        let targets = (0..<samples).map { _ in (0..<2).map { _ in random.next() } }
        let w1: [[Double]] = [[0.3, -0.2, 0.5], [-0.4, 0.1, 0.25], [0.15, 0.35, -0.3], [0.2, -0.45, 0.05]]
        let b1: [Double] = [0.1, -0.05, 0.2, 0]
        let w2: [[Double]] = [[0.5, -0.3, 0.2, 0.4], [-0.25, 0.45, -0.15, 0.3]]
        let b2: [Double] = [0.05, -0.1]
        func text(_ rows: [[Double]]) -> String { "[" + rows.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]" }
        let data = zip(inputs, targets).map { "  - {inputs: \(text([$0.0]).dropFirst().dropLast()), targets: \(text([$0.1]).dropFirst().dropLast())}" }
        let spec = """
            nnrun: 1
            name: passes
            model:
              inputs: 3
              layers:
                - {name: hidden, units: 4, activation: relu, weights: \(text(w1)), bias: \(b1)}
                - {name: out, units: 2, activation: linear, weights: \(text(w2)), bias: \(b2)}
            data:
            \(data.joined(separator: "\n"))
            training:
              loss: mse
              optimizer: sgd
              learning_rate: 0.1
              batch: 10
              steps: 1
            """
        let validated = try Training.validate(spec)
        XCTAssertLessThan(Planner.plan(validated).rowCapacity, samples, "the set takes more than one pass")
        let result = Training.run(validated)

        // One pass by hand: net = fma chain over the inputs from +0.0, bias added last.
        func layer(_ x: [Double], _ w: [[Double]], _ b: [Double], relu: Bool) -> [Double] {
            zip(w, b).map { row, bias in
                var net = 0.0
                for (weight, input) in zip(row, x) { net = net.addingProduct(input, weight) }
                net += bias
                return relu ? (net > 0 ? net : 0) : net
            }
        }
        var total = 0.0
        var outputs: [[Double]] = []
        for (x, t) in zip(inputs, targets) {
            let o = layer(layer(x, w1, b1, relu: true), w2, b2, relu: false)
            outputs.append(o)
            var sample = 0.0
            for k in 0..<2 {
                let difference = t[k] - o[k]
                sample += difference * difference / 2   // mse: (t - o)^2 / K, K = 2
            }
            total += sample
        }
        let loss = total / Double(samples)
        XCTAssertEqual(result.initial.loss.bitPattern, loss.bitPattern, "initial loss \(result.initial.loss) vs \(loss)")
        XCTAssertEqual(result.initial.outputs.count, samples)
        let differing = zip(result.initial.outputs.joined(), outputs.joined()).filter { $0.bitPattern != $1.bitPattern }.count
        XCTAssertEqual(differing, 0, "outputs that differ from the single pass")
    }
}
