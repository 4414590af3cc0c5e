import CKernels
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
    /// A network's sizes: inputs, hidden units, outputs (nil: the case's own) and samples.
    private struct Shape {
        var inputs = 3, hidden = 4, outputs: Int?, samples = 8
    }

    /// Shapes of the copies compiled for their sizes (`NN_SMALL_SHAPES`), beside the general 3-4-k on 8 samples.
    private let specialisedShapes = [Shape(inputs: 2, hidden: 2, outputs: 2, samples: 1),
                                     Shape(inputs: 2, hidden: 4, outputs: 1, samples: 4),
                                     Shape(inputs: 2, hidden: 2, outputs: 1, samples: 4)]

    private enum Bias {
        case shared, perUnit, none

        func key(units: Int) -> String {
            switch self {
            case .shared: ", bias: 0.35"
            case .perUnit: ", bias: [\((0..<units).map { String(0.1 * Double($0) - 0.15) }.joined(separator: ", "))]"
            case .none: ""
            }
        }
    }

    private struct Case {
        var name: String
        var hidden = "sigmoid"
        var output = "sigmoid"
        var loss = "half_squared_error"
        var optimizer = "sgd"
        var hiddenBias = Bias.shared
        var outputBias = Bias.perUnit
        var extra = ""
        var training = "steps: 40"
        var record = "every: 1"
        var outputs = 2
    }

    private func spec(_ c: Case, _ shape: Shape = Shape()) -> String {
        let outputs = shape.outputs ?? c.outputs
        // 8 samples of 3 inputs in [-1, 1); targets fitting the loss (one-hot for cross
        // entropy, in [0, 1) otherwise). Lcg's values lie in [-4, 4).
        var random = Lcg(seed: 11)
        let rows = (0..<shape.samples).map { s -> String in
            let inputs = (0..<shape.inputs).map { _ in String(random.next() / 4) }.joined(separator: ", ")
            let targets = (0..<outputs).map { k in
                c.loss == "cross_entropy" ? (k == s % outputs ? "1" : "0") : String(random.next() / 8 + 0.5)
            }.joined(separator: ", ")
            return "  - {inputs: [\(inputs)], targets: [\(targets)]}"
        }
        return """
            nnrun: 1
            name: \(c.name)
            seed: 5
            model:
              inputs: \(shape.inputs)
              layers:
                - {name: hidden, units: \(shape.hidden), activation: \(c.hidden), weights: {init: xavier_uniform}\(c.hiddenBias.key(units: shape.hidden))}
                - {name: output, units: \(outputs), activation: \(c.output), weights: {init: xavier_uniform}\(c.outputBias.key(units: outputs))}
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
                 optimizer: "{name: adam, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weight_decay: 0.001}", outputs: 3),
            Case(name: "no-bias", hiddenBias: .none, outputBias: .none),
            Case(name: "per-unit", hiddenBias: .perUnit, outputBias: .shared),
            Case(name: "frozen-biases", hiddenBias: .perUnit, training: "steps: 30\n  train_biases: false"),
            Case(name: "frozen-adam-immediate", optimizer: "{name: adam}", outputBias: .shared,
                 training: "steps: 30\n  train_biases: false\n  update: immediate"),
            Case(name: "batch-3-shuffled", hidden: "tanh", training: "batch: 3\n  shuffle: {seed: 2}\n  epochs: 6",
                 record: "every: 2"),
            Case(name: "batch-4-immediate", hidden: "sigmoid", training: "batch: 4\n  epochs: 5\n  update: immediate"),
            Case(name: "full-immediate-momentum", optimizer: "{name: sgd, momentum: 0.5}",
                 training: "steps: 25\n  update: immediate"),
            Case(name: "ce-batch-2-validation", hidden: "tanh", output: "softmax", loss: "cross_entropy",
                 outputBias: .shared,
                 extra: "validation:\n  - {inputs: [0.1, 0.2, 0.3], targets: [0, 1, 0]}\n  - {inputs: [-0.5, 0.4, 0], targets: [0, 0, 1]}",
                 training: "batch: 2\n  epochs: 3", record: "every: 3", outputs: 3),
            Case(name: "full-validation", extra: "validation:\n  - {inputs: [0.1, 0.2, 0.3], targets: [0.5, 0.25]}",
                 training: "steps: 20"),
            Case(name: "batch-5", optimizer: "{name: adam}", training: "batch: 5\n  steps: 20", record: "every: epoch"),
            Case(name: "traced", training: "steps: 12", record: "every: 4, trace: [1, 5]"),
            Case(name: "sparse-record", training: "steps: 5000", record: "every: 700"),
            // Every step recorded across two runs of steps (4,096 and 904), the accuracy too:
            // the history copied as whole series rather than step by step.
            Case(name: "every-step-two-runs", loss: "binary_cross_entropy", training: "steps: 5000"),
            // A rate per step (the runner sets it before each update) and a check per recorded
            // step: one step per call, never a run of steps with one rate and no checks.
            Case(name: "full-step-schedule",
                 training: "steps: 30\n  schedule: {name: exponential, gamma: 0.9, warmup: 3, every: step}"),
            Case(name: "batch-2-epoch-schedule", optimizer: "{name: sgd, momentum: 0.9}",
                 training: "batch: 2\n  epochs: 6\n  schedule: {name: step, step_size: 2, gamma: 0.5}"),
            Case(name: "full-early-stopping", loss: "mse",
                 training: "steps: 400\n  early_stopping: {monitor: loss, patience: 2, min_delta: 0.001}",
                 record: "every: 5"),
        ]
    }

    func testEverySmallSpecGivesTheGeneralPathsBits() throws {
        for c in cases {
            try assertSameBits(c, Shape())
        }
    }

    /// The same cases (those with the whole set as the batch and no validation set) on the sizes that have a copy
    /// compiled for them.
    func testTheCopiesCompiledForTheirSizesGiveTheGeneralPathsBits() throws {
        for c in cases where !c.training.contains("batch") && c.extra.isEmpty {
            for shape in specialisedShapes {
                try assertSameBits(c, shape, specialised: true)
            }
        }
    }

    private func assertSameBits(_ c: Case, _ shape: Shape, specialised: Bool = false) throws {
        let plan = Planner.plan(try Training.validate(spec(c, shape)))
        let general = Runner.run(plan, kernels: KernelOptions(implementation: .generic, threads: 1, fusedSteps: false))
        XCTAssertNil(Workspace(plan, kernels: KernelOptions(implementation: .generic, threads: 1, fusedSteps: false)).denseStep)
        for implementation in KernelOptions.Implementation.allCases where KernelOptions.isAvailable(implementation) {
            let options = KernelOptions(implementation: implementation, threads: 1, fusedSteps: true)
            let dense = Workspace(plan, kernels: options).denseStep
            XCTAssertNotNil(dense, "\(c.name) takes the small-network path")
            if let dense {
                XCTAssertEqual(nn_dense_specialised(dense.network, plan.sampleCount) != 0, specialised,
                               "\(c.name) \(shape): a copy compiled for the sizes, or not")
            }
            let fused = Runner.run(plan, kernels: options)
            let (a, b) = (general.bitPatterns, fused.bitPatterns)
            XCTAssertGreaterThan(a.count, 20, c.name)
            XCTAssertEqual(a.count, b.count, "\(c.name) \(implementation)")
            let differences = zip(a, b).filter { $0 != $1 }.count
            XCTAssertEqual(differences, 0, "\(c.name) with \(implementation): \(differences) numbers differ")
            XCTAssertEqual(general.multiplyAdds, fused.multiplyAdds, c.name)
            XCTAssertEqual(general.steps, fused.steps, c.name)
            XCTAssertEqual(general.status, fused.status, c.name)
        }
    }

    /// A run that diverges stops at the same step, with the same quantity named, on both paths
    /// (the full-batch run of steps stops inside the C loop), in the general C loops and in a
    /// copy compiled for the sizes.
    func testADivergingRunStopsAtTheSameStepOnBothPaths() throws {
        for shape in [Shape()] + specialisedShapes {
            try assertSameDivergence(shape)
        }
    }

    private func assertSameDivergence(_ shape: Shape) throws {
        let text = spec(Case(name: "diverges", hidden: "linear", output: "linear", loss: "mse",
                             training: "steps: 3000", record: "every: 1000"), shape)
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
        XCTAssertEqual(general.bitPatterns, fused.bitPatterns)
    }

    /// A network whose products outgrow the small path's limit runs operation by operation.
    func testLargeLayersTakeTheGeneralPath() throws {
        let text = spec(Case(name: "wide")).replacingOccurrences(of: "units: 4", with: "units: 2000")
        let plan = Planner.plan(try Training.validate(text))
        let workspace = Workspace(plan, kernels: KernelOptions(implementation: KernelOptions.best, threads: 1, fusedSteps: true))
        XCTAssertNil(workspace.fullBatchStep)
        XCTAssertEqual(workspace.denseStep?.fits(rows: 8), false)
    }
}
