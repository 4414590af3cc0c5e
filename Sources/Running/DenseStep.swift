import CKernels
import Planning
import Spec
import Validation

/// A small network's evaluation and update operations as one C call each
/// (`nn_dense_forward`, `nn_dense_update`, CKernels/dense_step.c), and a run of full-batch
/// steps as one call (`nn_dense_full_batch_steps`): the same operations in the same order
/// as the general path, so the same bits (Docs/performance.md, "Small networks in one call").
///
/// Made when the plan's sizes, activations, loss and optimizer are ones the C code covers
/// (sgd with or without momentum or nesterov, adam; either update order); used for a pass
/// of `rows` rows when every layer's product has at most `NN_GEMM_SMALL_PRODUCT`
/// multiply-adds (`fits(rows:)`): beyond that the general path's kernels are faster. The
/// layout of every buffer is the workspace's, so the two paths can alternate within a run.
final class DenseStep {
    let network: UnsafeMutablePointer<nn_dense_network>
    private let layers: UnsafeMutableBufferPointer<nn_dense_layer>
    private let operations: UnsafeMutableBufferPointer<nn_dense_operation>
    /// max over layers of units x inputs: a pass of r rows has r times this in its largest product.
    let largestLayerProduct: Int
    /// Each step's evaluation loss and right answers, for a run of full-batch steps.
    let losses: UnsafeMutableBufferPointer<Double>
    let correct: UnsafeMutableBufferPointer<Int>
    /// Steps of one run of full-batch steps at most: the runner reports progress and asks
    /// whether to stop between runs.
    static let stepsPerCall = 4096

    struct Buffers {
        var parameters, gradients, firstMoment, secondMoment: UnsafeMutableBufferPointer<Double>
        var net, out, dOut, slope, delta: UnsafeMutableBufferPointer<Double>
        var sampleLoss, softmaxSums, terms: UnsafeMutableBufferPointer<Double>
    }

    /// nil when the plan has something the C code does not cover, or when `kernels` asks
    /// for the general path.
    init?(_ plan: Plan, kernels: KernelOptions, buffers: Buffers) {
        guard kernels.fusedSteps, !plan.layers.isEmpty,
              let loss = DenseStep.loss(plan.training.loss),
              let optimizer = DenseStep.optimizer(plan.training.optimizer)
        else { return nil }
        var shapes: [nn_dense_layer] = []
        for layer in plan.layers {
            guard let activation = DenseStep.activation(layer.activation) else { return nil }
            shapes.append(nn_dense_layer(
                inputs: layer.inputCount, units: layer.units, activation: activation.int32,
                bias_shared: layer.biasShared ? 1 : 0, bias_trained: layer.biasTrained ? 1 : 0, alpha: layer.alpha,
                weight_offset: layer.weightOffset, bias_offset: layer.biasOffset, bias_count: layer.biasCount,
                activation_offset: layer.activationOffset))
        }
        var steps: [nn_dense_operation] = []
        for operation in plan.update {
            switch operation {
            case .delta(let layer): steps.append(nn_dense_operation(kind: NN_OPERATION_DELTA.int32, layer: Int32(layer)))
            case .gradient(let layer):
                steps.append(nn_dense_operation(kind: NN_OPERATION_GRADIENT.int32, layer: Int32(layer)))
            case .propagate(let layer):
                guard layer > 0 else { return nil }
                steps.append(nn_dense_operation(kind: NN_OPERATION_PROPAGATE.int32, layer: Int32(layer)))
            case .step(let layer): steps.append(nn_dense_operation(kind: NN_OPERATION_STEP.int32, layer: Int32(layer)))
            case .forward, .loss: return nil
            }
        }
        largestLayerProduct = plan.layers.map(\.weightCount).max() ?? 0
        layers = .allocate(capacity: shapes.count)
        _ = layers.initialize(from: shapes)
        operations = .allocate(capacity: max(steps.count, 1))
        _ = operations.initialize(from: steps)
        losses = .allocate(capacity: DenseStep.stepsPerCall)
        losses.initialize(repeating: .nan)
        correct = .allocate(capacity: DenseStep.stepsPerCall)
        correct.initialize(repeating: 0)
        network = .allocate(capacity: 1)
        network.initialize(to: nn_dense_network(
            layers: layers.baseAddress, layer_count: shapes.count,
            update: operations.baseAddress, update_count: steps.count,
            loss: loss.int32, optimizer: optimizer.kind.int32, nesterov: optimizer.nesterov ? 1 : 0,
            kernel: Int32(kernels.cKernel.rawValue),
            learning_rate: plan.training.learningRate, momentum: optimizer.momentum,
            weight_decay: optimizer.weightDecay, beta1: optimizer.beta1, beta2: optimizer.beta2,
            epsilon: optimizer.epsilon,
            parameters: buffers.parameters.baseAddress, gradients: buffers.gradients.baseAddress,
            first_moment: buffers.firstMoment.baseAddress, second_moment: buffers.secondMoment.baseAddress,
            net: buffers.net.baseAddress, out: buffers.out.baseAddress, d_out: buffers.dOut.baseAddress,
            slope: buffers.slope.baseAddress, delta: buffers.delta.baseAddress,
            sample_loss: buffers.sampleLoss.baseAddress, softmax_sums: buffers.softmaxSums.baseAddress,
            terms: buffers.terms.baseAddress))
    }

    deinit {
        network.deallocate()
        layers.deallocate()
        operations.deallocate()
        losses.deallocate()
        correct.deallocate()
    }

    /// Whether a pass of `rows` rows takes this path: every product at most
    /// `NN_GEMM_SMALL_PRODUCT` multiply-adds, where the general path runs plain loops too.
    @inline(__always)
    func fits(rows: Int) -> Bool {
        rows * largestLayerProduct <= Int(NN_GEMM_SMALL_PRODUCT)
    }

    private static func activation(_ activation: Activation) -> nn_activation? {
        if activation == .sigmoid { return NN_ACTIVATION_SIGMOID }
        if activation == .tanh { return NN_ACTIVATION_TANH }
        if activation == .relu { return NN_ACTIVATION_RELU }
        if activation == .leakyRelu { return NN_ACTIVATION_LEAKY_RELU }
        if activation == .linear { return NN_ACTIVATION_LINEAR }
        if activation == .softmax { return NN_ACTIVATION_SOFTMAX }
        return nil
    }

    private static func loss(_ loss: Loss) -> nn_loss? {
        if loss == .halfSquaredError { return NN_LOSS_HALF_SQUARED_ERROR }
        if loss == .mse { return NN_LOSS_MSE }
        if loss == .binaryCrossEntropy { return NN_LOSS_BINARY_CROSS_ENTROPY }
        if loss == .crossEntropy { return NN_LOSS_CROSS_ENTROPY }
        return nil
    }

    private struct OptimizerSettings {
        var kind: nn_optimizer
        var momentum = 0.0, weightDecay = 0.0, beta1 = 0.0, beta2 = 0.0, epsilon = 0.0
        var nesterov = false
    }

    /// The optimizers of `nn_sgd_update` and `nn_adam_update`; nil for any other (written
    /// with `if case`, so an optimizer added later takes the general path until the C code
    /// covers it).
    private static func optimizer(_ optimizer: ValidatedSpec.Optimizer) -> OptimizerSettings? {
        if case .sgd(let momentum, let nesterov, let weightDecay) = optimizer {
            return OptimizerSettings(kind: NN_OPTIMIZER_SGD, momentum: momentum, weightDecay: weightDecay, nesterov: nesterov)
        }
        if case .adam(let beta1, let beta2, let epsilon, let weightDecay) = optimizer {
            return OptimizerSettings(kind: NN_OPTIMIZER_ADAM, weightDecay: weightDecay, beta1: beta1, beta2: beta2,
                                     epsilon: epsilon)
        }
        return nil
    }
}

// The C enums' values as the struct fields' Int32 (Swift imports the enums as UInt32).
private extension nn_activation { var int32: Int32 { Int32(rawValue) } }
private extension nn_loss { var int32: Int32 { Int32(rawValue) } }
private extension nn_optimizer { var int32: Int32 { Int32(rawValue) } }
private extension nn_operation_kind { var int32: Int32 { Int32(rawValue) } }
