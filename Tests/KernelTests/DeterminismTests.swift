import Planning
import Running
import TestSupport
import Validation
import XCTest

/// A run's results do not depend on the matrix kernel or the number of threads: every
/// number is compared bit for bit, not within a tolerance.
final class DeterminismTests: XCTestCase {
    private var choices: [KernelOptions] {
        [KernelOptions(implementation: .generic, threads: 1)]
            + [KernelOptions.Implementation.avx2, .avx512].filter(KernelOptions.isAvailable).flatMap { implementation in
                [KernelOptions(implementation: implementation, threads: 1), KernelOptions(implementation: implementation, threads: 2)]
            }
    }

    func testShippedSpecsGiveTheSameBitsWithEveryKernelAndThreadCount() throws {
        for name in ["tutorial", "tutorial-published", "xor", "iris", "regression", "iris-early-stopping"] {
            let text = try String(contentsOf: Repository.file("specs/\(name).yaml"), encoding: .utf8)
            try assertSameBits(try Training.validate(text, path: Repository.file("specs/\(name).yaml").path), name)
        }
    }

    /// Layers big enough for the packed kernel (300 terms: two blocks of the k loop) and for
    /// two threads (64 x 300 x 300 multiply-adds), batches of 20 rows (not a multiple of the
    /// 6-row tile), shuffling and Adam.
    func testALargeNetworkGivesTheSameBitsWithEveryKernelAndThreadCount() throws {
        let samples = TestSpecs.oneHotSamples(64, inputs: 40, classes: 10, seed: 7)
        let spec = """
            nnrun: 1
            name: large
            seed: 3
            model:
              inputs: 40
              layers:
                - {name: a, units: 300, activation: tanh, weights: {init: xavier_uniform}, bias: 0.1}
                - {name: b, units: 300, activation: leaky_relu, alpha: 0.1, weights: {init: he_normal}, bias: \(Array(repeating: "0.01", count: 300))}
                - {name: out, units: 10, activation: softmax, weights: {init: xavier_normal}, bias: \(Array(repeating: "0", count: 10))}
            data:
            \(samples)
            training:
              loss: cross_entropy
              optimizer: {name: adam}
              learning_rate: 0.001
              batch: 20
              shuffle: {}
              epochs: 3
            record: {every: 4, trace: [5]}
            """.replacingOccurrences(of: "\"", with: "")
        let validated = try Training.validate(spec)
        XCTAssertGreaterThan(Planner.plan(validated).kernelScratchCount, 0, "the packed kernel is used")
        try assertSameBits(validated, "large")
    }

    /// A data set of several evaluation passes (each of 512 rows) and a softmax layer of 10
    /// units, whose products are too narrow to split by columns and are split by rows
    /// (512 x 10 x 256 multiply-adds in an evaluation pass); sgd with momentum on a layer
    /// large enough for its update to be split over two threads (256 x 300 weights).
    func testEvaluationPassesAndRowSplitsGiveTheSameBitsWithEveryKernelAndThreadCount() throws {
        let samples = TestSpecs.oneHotSamples(1100, inputs: 300, classes: 10, seed: 9)
        let spec = """
            nnrun: 1
            name: passes
            seed: 4
            model:
              inputs: 300
              layers:
                - {name: hidden, units: 256, activation: relu, weights: {init: he_uniform}, bias: 0}
                - {name: out, units: 10, activation: softmax, weights: {init: xavier_uniform}, bias: 0}
            data:
            \(samples)
            training:
              loss: cross_entropy
              optimizer: {name: sgd, momentum: 0.9}
              learning_rate: 0.01
              batch: 550
              steps: 2
            record: {every: 1, trace: [1]}
            """
        let validated = try Training.validate(spec)
        XCTAssertLessThan(Planner.plan(validated).rowCapacity, 1100, "the training set takes several passes")
        try assertSameBits(validated, "passes")
    }

    /// AdamW and RMSprop (centered, with momentum) under a cosine and a step schedule, on a
    /// layer whose update is split over two threads (64 x 80 weights; the adaptive rules split
    /// from 4,096 parameters).
    func testAdaptiveOptimizersAndSchedulesGiveTheSameBitsWithEveryKernelAndThreadCount() throws {
        let samples = TestSpecs.oneHotSamples(48, inputs: 80, classes: 4, seed: 13)
        let optimizers = [
            ("adamw-cosine", "{name: adamw, weight_decay: 0.05}", "{name: cosine, t_max: 5, eta_min: 0.001, warmup: 1}"),
            ("rmsprop-step", "{name: rmsprop, momentum: 0.9, centered: true, weight_decay: 0.01}",
             "{name: step, step_size: 3, gamma: 0.5, every: step}"),
        ]
        for (name, optimizer, schedule) in optimizers {
            let spec = """
                nnrun: 1
                name: \(name)
                seed: 5
                model:
                  inputs: 80
                  layers:
                    - {name: hidden, units: 64, activation: tanh, weights: {init: xavier_uniform}, bias: 0}
                    - {name: out, units: 4, activation: softmax, weights: {init: xavier_uniform}, bias: 0}
                data:
                \(samples)
                training:
                  loss: cross_entropy
                  optimizer: \(optimizer)
                  learning_rate: 0.01
                  batch: 16
                  shuffle: {}
                  epochs: 4
                  schedule: \(schedule)
                record: {every: 2, trace: [4]}
                """
            try assertSameBits(try Training.validate(spec), name)
        }
    }

    /// Four layers whose deferred update two threads divide (`Workspace.parameterSplit`):
    /// the 5,318 parameters split at 2,660, after 7 of layer b's 40 weight rows, so the first
    /// thread computes and steps layer a and part of b, the second the rest of b, its shared
    /// bias, c (no bias) and out (biases per unit, as a's); an odd batch (halves of 8 and 7
    /// rows) large enough for the passes by rows (15 × 5,244 multiply-adds a forward pass);
    /// the deferred update, which two threads reorder into passes, and the immediate one,
    /// which they do not; biases trained and fixed.
    func testPassesByRowsGiveTheSameBitsWithEveryKernelAndThreadCount() throws {
        let samples = TestSpecs.oneHotSamples(45, inputs: 30, classes: 3, seed: 17)
        let perUnitBias = "[" + (0..<70).map { $0 % 2 == 0 ? "0" : "0.1" }.joined(separator: ", ") + "]"
        for (update, trainBiases) in [("deferred", true), ("immediate", false), ("deferred", false)] {
            let spec = """
                nnrun: 1
                name: passes-by-rows
                seed: 6
                model:
                  inputs: 30
                  layers:
                    - {name: a, units: 70, activation: tanh, weights: {init: xavier_uniform}, bias: \(perUnitBias)}
                    - {name: b, units: 40, activation: sigmoid, weights: {init: xavier_uniform}, bias: 0.2}
                    - {name: c, units: 8, activation: relu, weights: {init: he_uniform}}
                    - {name: out, units: 3, activation: softmax, weights: {init: xavier_uniform}, bias: [0, 0.1, 0]}
                data:
                \(samples)
                training:
                  loss: cross_entropy
                  optimizer: {name: sgd, momentum: 0.9}
                  learning_rate: 0.05
                  batch: 15
                  shuffle: {}
                  epochs: 3
                  update: \(update)
                  train_biases: \(trainBiases)
                record: {every: 1, trace: [2]}
                """
            let validated = try Training.validate(spec)
            let plan = Planner.plan(validated)
            XCTAssertEqual(plan.layers.reduce(0) { $0 + $1.units * $1.inputCount } * plan.batchSize, 15 * 5_244)
            try assertSameBits(validated, "\(update), train_biases \(trainBiases)")
        }
    }

    /// A deep narrow network on the small-network path (17 layers of 4 × 4 weights: a
    /// batch of 256 rows times the largest layer's 16 weights is 4,096, the path's limit)
    /// whose forward pass is also large enough for two threads to take by rows
    /// (256 × 272 multiply-adds): the path must get its shuffled batch gathered all the same.
    func testTheSmallNetworkPathGetsItsBatchOnTwoThreads() throws {
        let samples = TestSpecs.oneHotSamples(512, inputs: 4, classes: 4, seed: 19)
        let hidden = (0..<16).map { "    - {name: h\($0), units: 4, activation: tanh, weights: {init: xavier_uniform}, bias: [0, 0, 0, 0]}" }
        let spec = """
            nnrun: 1
            name: deep-narrow
            seed: 8
            model:
              inputs: 4
              layers:
            \(hidden.joined(separator: "\n"))
                - {name: out, units: 4, activation: softmax, weights: {init: xavier_uniform}, bias: [0, 0, 0, 0]}
            data:
            \(samples)
            training:
              loss: cross_entropy
              optimizer: {name: sgd}
              learning_rate: 0.1
              batch: 256
              shuffle: {}
              epochs: 2
            record: {every: 1}
            """
        let validated = try Training.validate(spec)
        let plan = Planner.plan(validated)
        XCTAssertEqual(plan.batchSize * (plan.layers.map { $0.units * $0.inputCount }.max() ?? 0), 4_096)
        XCTAssertEqual(plan.batchSize * plan.layers.reduce(0) { $0 + $1.units * $1.inputCount }, 256 * 272)
        try assertSameBits(validated, "deep-narrow")
    }

    private func assertSameBits(_ spec: ValidatedSpec, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let plan = Planner.plan(spec)
        let results = choices.map { Runner.run(plan, kernels: $0) }
        let reference = results[0].bitPatterns
        XCTAssertGreaterThan(reference.count, 10, file: file, line: line)
        for (choice, result) in zip(choices, results).dropFirst() {
            let these = result.bitPatterns
            XCTAssertEqual(these.count, reference.count, "\(name): \(choice)", file: file, line: line)
            let differences = zip(these, reference).filter { $0 != $1 }.count
            XCTAssertEqual(differences, 0, "\(name): \(choice) differs from the generic kernel in \(differences) numbers",
                           file: file, line: line)
            XCTAssertEqual(result.multiplyAdds, results[0].multiplyAdds, "\(name): \(choice) counts other work",
                           file: file, line: line)
        }
    }
}

