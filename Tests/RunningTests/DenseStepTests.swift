import Planning
@testable import Running
import TestSupport
import Validation
import XCTest

/// The small-network path (`DenseStep`, CKernels/dense_step.c) does every rounded operation
/// of the general path in the same order: a run through it gives the same bits as a run
/// operation by operation (`KernelOptions.fusedSteps` false), for every activation, loss,
/// optimizer, bias form, batch form and update order it covers, with every kernel (the
/// generic kernel runs its baseline copy, with libm's fma).
final class DenseStepTests: XCTestCase {
    private struct Case {
        var name: String
        var hidden = "sigmoid"
        var output = "sigmoid"
        var loss = "half_squared_error"
        var optimizer = "sgd"
        var hiddenBias = ", bias: 0.35"
        var outputBias = ", bias: [0.1, -0.2]"
        var extra = ""
        var training = "steps: 40"
        var record = "every: 1"
        var outputs = 2
    }

    private func spec(_ c: Case) -> String {
        // 8 samples of 3 inputs in [-1, 1); targets fitting the loss (one-hot for cross
        // entropy, in [0, 1) otherwise). Lcg's values lie in [-4, 4).
        var random = Lcg(seed: 11)
        let rows = (0..<8).map { s -> String in
            let inputs = (0..<3).map { _ in String(random.next() / 4) }.joined(separator: ", ")
            let targets = (0..<c.outputs).map { k in
                c.loss == "cross_entropy" ? (k == s % c.outputs ? "1" : "0") : String(random.next() / 8 + 0.5)
            }.joined(separator: ", ")
            return "  - {inputs: [\(inputs)], targets: [\(targets)]}"
        }
        return """
            nnrun: 1
            name: \(c.name)
            seed: 5
            model:
              inputs: 3
              layers:
                - {name: hidden, units: 4, activation: \(c.hidden), weights: {init: xavier_uniform}\(c.hiddenBias)}
                - {name: output, units: \(c.outputs), activation: \(c.output), weights: {init: xavier_uniform}\(c.outputBias)}
            data:
            \(rows.joined(separator: "\n"))
            \(c.extra)
            training:
              loss: \(c.loss)
              optimizer: \(c.optimizer)
              learning_rate: 0.3
              \(c.training)
            record: {\(c.record)}
            """
    }

    private var cases: [Case] {
        [
            Case(name: "sigmoid-hse-sgd"),
            Case(name: "tanh-linear-mse", hidden: "tanh", output: "linear", loss: "mse"),
            Case(name: "relu-mse-momentum", hidden: "relu", output: "linear", loss: "mse",
                 optimizer: "{name: sgd, momentum: 0.9}"),
            Case(name: "leaky-nesterov-decay", hidden: "leaky_relu, alpha: 0.1", output: "linear",
                 optimizer: "{name: sgd, momentum: 0.8, nesterov: true, weight_decay: 0.01}"),
            Case(name: "bce-adam", hidden: "tanh", output: "sigmoid", loss: "binary_cross_entropy",
                 optimizer: "{name: adam}"),
            Case(name: "softmax-ce-adam-decay", hidden: "relu", output: "softmax", loss: "cross_entropy",
                 optimizer: "{name: adam, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weight_decay: 0.001}",
                 outputBias: ", bias: [0.1, 0, -0.1]", outputs: 3),
            Case(name: "no-bias", hiddenBias: "", outputBias: ""),
            Case(name: "per-unit", hiddenBias: ", bias: [0.1, 0.2, -0.1, 0]", outputBias: ", bias: 0.2"),
            Case(name: "frozen-biases", hiddenBias: ", bias: [0.1, 0.2, -0.1, 0]", training: "steps: 30\n  train_biases: false"),
            Case(name: "batch-3-shuffled", hidden: "tanh", training: "batch: 3\n  shuffle: {seed: 2}\n  epochs: 6",
                 record: "every: 2"),
            Case(name: "batch-4-immediate", hidden: "sigmoid", training: "batch: 4\n  epochs: 5\n  update: immediate"),
            Case(name: "full-immediate-momentum", optimizer: "{name: sgd, momentum: 0.5}",
                 training: "steps: 25\n  update: immediate"),
            Case(name: "ce-batch-2-validation", hidden: "tanh", output: "softmax", loss: "cross_entropy",
                 outputBias: ", bias: 0.1",
                 extra: "validation:\n  - {inputs: [0.1, 0.2, 0.3], targets: [0, 1, 0]}\n  - {inputs: [-0.5, 0.4, 0], targets: [0, 0, 1]}",
                 training: "batch: 2\n  epochs: 3", record: "every: 3", outputs: 3),
            Case(name: "full-validation", extra: "validation:\n  - {inputs: [0.1, 0.2, 0.3], targets: [0.5, 0.25]}",
                 training: "steps: 20"),
            Case(name: "batch-5", optimizer: "{name: adam}", training: "batch: 5\n  steps: 20", record: "every: epoch"),
            Case(name: "traced", training: "steps: 12", record: "every: 4, trace: [1, 5]"),
            Case(name: "sparse-record", training: "steps: 5000", record: "every: 700"),
        ]
    }

    func testEverySmallSpecGivesTheGeneralPathsBits() throws {
        for c in cases {
            let text = spec(c)
            let plan = Planner.plan(try Training.validate(text))
            let general = Runner.run(plan, kernels: KernelOptions(implementation: .generic, threads: 1, fusedSteps: false))
            XCTAssertNil(Workspace(plan, kernels: KernelOptions(implementation: .generic, threads: 1, fusedSteps: false)).denseStep)
            for implementation in KernelOptions.Implementation.allCases where KernelOptions.isAvailable(implementation) {
                let options = KernelOptions(implementation: implementation, threads: 1, fusedSteps: true)
                XCTAssertNotNil(Workspace(plan, kernels: options).denseStep, "\(c.name) takes the small-network path")
                let fused = Runner.run(plan, kernels: options)
                let (a, b) = (bits(general), bits(fused))
                XCTAssertGreaterThan(a.count, 20, c.name)
                XCTAssertEqual(a.count, b.count, "\(c.name) \(implementation)")
                let differences = zip(a, b).filter { $0 != $1 }.count
                XCTAssertEqual(differences, 0, "\(c.name) with \(implementation): \(differences) numbers differ")
                XCTAssertEqual(general.multiplyAdds, fused.multiplyAdds, c.name)
                XCTAssertEqual(general.steps, fused.steps, c.name)
                XCTAssertEqual(general.status, fused.status, c.name)
            }
        }
    }

    /// A run that diverges stops at the same step, with the same quantity named, on both paths
    /// (the full-batch run of steps stops inside the C loop).
    func testADivergingRunStopsAtTheSameStepOnBothPaths() throws {
        let text = spec(Case(name: "diverges", hidden: "linear", output: "linear", loss: "mse",
                             training: "steps: 3000", record: "every: 1000"))
            .replacingOccurrences(of: "learning_rate: 0.3", with: "learning_rate: 40")
        let plan = Planner.plan(try Training.validate(text))
        let general = Runner.run(plan, kernels: KernelOptions(implementation: .generic, threads: 1, fusedSteps: false))
        let fused = Runner.run(plan, kernels: KernelOptions(implementation: KernelOptions.best, threads: 1, fusedSteps: true))
        XCTAssertEqual(general.status, .diverged)
        XCTAssertEqual(fused.status, .diverged)
        XCTAssertEqual(general.steps, fused.steps)
        XCTAssertLessThan(fused.steps, 3000)
        XCTAssertEqual(general.divergence?.step, fused.divergence?.step)
        XCTAssertEqual(general.divergence?.layer, fused.divergence?.layer)
        XCTAssertEqual(general.divergence?.quantity, fused.divergence?.quantity)
        XCTAssertEqual(bits(general), bits(fused))
    }

    /// A network whose products outgrow the small path's limit runs operation by operation.
    func testLargeLayersTakeTheGeneralPath() throws {
        let text = spec(Case(name: "wide")).replacingOccurrences(of: "units: 4", with: "units: 2000")
        let plan = Planner.plan(try Training.validate(text))
        let workspace = Workspace(plan, kernels: KernelOptions(implementation: KernelOptions.best, threads: 1, fusedSteps: true))
        XCTAssertFalse(workspace.runsFullBatchSteps)
        XCTAssertEqual(workspace.denseStep?.fits(rows: 8), false)
    }

    /// Every number of the result, as bits: losses, accuracies, outputs, parameters,
    /// history, trace.
    private func bits(_ result: TrainingResult) -> [UInt64] {
        var values: [Double] = []
        for evaluation in [result.initial, result.final] {
            values += [evaluation.loss, evaluation.accuracy ?? 0, evaluation.validationLoss ?? 0,
                       evaluation.validationAccuracy ?? 0]
            values += evaluation.outputs.joined()
            for layer in evaluation.layers { values += layer.weights.joined() + (layer.bias ?? []) }
        }
        values += result.history.loss + (result.history.accuracy ?? []) + (result.history.validationLoss ?? [])
            + (result.history.validationAccuracy ?? [])
        values += result.history.steps.map(Double.init)
        for step in result.trace {
            for layer in step.layers {
                for matrix in [layer.net, layer.out, layer.delta, layer.weightGradient] { values += matrix.joined() }
            }
        }
        return values.map(\.bitPattern)
    }
}
