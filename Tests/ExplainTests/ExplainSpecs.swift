import Foundation
import TestSupport
import XCTest

/// Specs the page tests explain besides the shipped ones.
enum ExplainSpecs {
    /// A 3-layer relu/relu/softmax classifier trained on a batch of 4 samples with momentum.
    static func reluSoftmaxBatch() throws -> URL {
        let url = try NnrunProcess.temporaryFolder().appendingPathComponent("relu-softmax.yaml")
        try """
            nnrun: 1
            name: relu-softmax
            seed: 11
            model:
              inputs: 3
              layers:
                - {name: first, units: 4, activation: relu, weights: {init: he_uniform}, bias: [0.1, 0.1, 0.1, 0.1]}
                - {name: second, units: 3, activation: relu, weights: {init: he_uniform}, bias: 0.05}
                - {name: classes, units: 3, activation: softmax, weights: {init: xavier_uniform}, bias: [0, 0, 0]}
            data:
              - {inputs: [0.2, -0.4, 1.0], targets: [1, 0, 0]}
              - {inputs: [0.9, 0.1, -0.3], targets: [0, 1, 0]}
              - {inputs: [-0.5, 0.8, 0.3], targets: [0, 0, 1]}
              - {inputs: [0.4, 0.4, 0.4], targets: [0, 1, 0]}
            training: {loss: cross_entropy, learning_rate: 0.1, steps: 3, batch: 4, optimizer: {name: sgd, momentum: 0.9}}
            """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// One linear unit, w = 0.5, x = 2, target 3, half squared error, learning rate 0.1,
    /// three steps: small enough to work out each optimizer's numbers by hand, with
    /// dE/dw = (2w - 3) 2 (`oneUnitGradient`). `schedule`: a learning-rate schedule, or none.
    static func oneUnit(optimizer: String, schedule: String? = nil) throws -> URL {
        let url = try NnrunProcess.temporaryFolder().appendingPathComponent("one-unit.yaml")
        try """
            nnrun: 1
            name: one-unit
            model:
              inputs: 1
              layers:
                - {name: out, units: 1, activation: linear, weights: [[0.5]]}
            data:
              - {inputs: [2], targets: [3]}
            training: {loss: half_squared_error, learning_rate: 0.1, steps: 3, optimizer: \(optimizer)\(schedule.map { ", schedule: \($0)" } ?? "")}
            """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// dE/dw of `oneUnit`'s network at weight w.
    static func oneUnitGradient(_ w: Double) -> Double { (w * 2 - 3) * 2 }

    /// `nnrun explain SPEC --format text ARGUMENTS...`'s page, which must succeed.
    static func page(_ spec: URL, _ arguments: [String] = []) throws -> String {
        let output = try NnrunProcess.run(["explain", spec.path, "--format", "text"] + arguments)
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout
    }
}
