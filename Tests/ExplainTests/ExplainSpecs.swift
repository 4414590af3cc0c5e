import Foundation
import TestSupport

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
}
