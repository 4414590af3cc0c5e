import CKernels
import Validation

/// The optimizers' update rules, as torch.optim states them (dampening 0, no amsgrad).
extension ValidatedSpec.Optimizer {
    /// Updates `parameters[range]` in place. `step` is the number of this update (1 for
    /// the first), Adam's t.
    ///
    /// sgd:  g = grad + wd p
    ///       with momentum mu: buf = mu buf + g (buf starts at 0, so the first buf is g);
    ///       g = g + mu buf (nesterov) or g = buf
    ///       p = p - lr g
    /// adam: g = grad + wd p
    ///       m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g g
    ///       p = p - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
    ///       (torch's evaluation order: eps is added outside the square root)
    ///
    /// The element loops are `nn_sgd_update` and `nn_adam_update` (CKernels), which state
    /// the order of every rounded operation; each kernel gives the same bits.
    @inline(__always)
    func update(parameters p: UnsafeMutableBufferPointer<Double>, gradients grad: UnsafeMutableBufferPointer<Double>,
                firstMoment m: UnsafeMutableBufferPointer<Double>, secondMoment v: UnsafeMutableBufferPointer<Double>,
                range: Range<Int>, learningRate lr: Double, step t: Int, kernels: KernelOptions, team: Team) {
        let update = ElementUpdate(
            rule: rule(learningRate: lr, step: t), kernel: kernels.cKernel,
            p: p.baseAddress.unsafelyUnwrapped + range.lowerBound, grad: grad.baseAddress.unsafelyUnwrapped + range.lowerBound,
            m: m.baseAddress.unsafelyUnwrapped + range.lowerBound, v: v.baseAddress.unsafelyUnwrapped + range.lowerBound)
        let count = range.count
        if kernels.threads > 1, count >= update.rule.parallelParameters {
            // Each element's update reads and writes only that element: two halves on two
            // threads give the same bits.
            team.inTwoHalves(of: count, granule: 8) { elements in update.run(elements) }
        } else {
            update.run(0..<count)
        }
    }

    /// How many buffers of per-parameter memory the rule keeps: none for SGD without
    /// momentum, the momentum buffer, or Adam's m and v.
    var momentCount: Int {
        switch self {
        case .sgd(let momentum, _, _): momentum != 0 ? 1 : 0
        case .adam: 2
        }
    }

    /// The settings of update number `t` (Adam's bias corrections depend on it).
    private func rule(learningRate lr: Double, step t: Int) -> ElementUpdate.Rule {
        switch self {
        case .sgd(let momentum, let nesterov, let weightDecay):
            return .sgd(learningRate: lr, momentum: momentum, weightDecay: weightDecay, nesterov: nesterov)
        case .adam(let beta1, let beta2, let epsilon, let weightDecay):
            // b^t by nnrun's own power (`nn_power_value`, within 1 ulp, the same bits on
            // every machine), as torch.optim computes beta ** step.
            let correction1 = 1 - nn_power_value(beta1, Int64(t))
            let correction2 = 1 - nn_power_value(beta2, Int64(t))
            return .adam(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
                         stepSize: lr / correction1, rootCorrection2: correction2.squareRoot())
        }
    }
}

/// One optimizer update over a contiguous run of parameters, on a range of its elements;
/// two ranges touch disjoint elements.
private struct ElementUpdate {
    enum Rule {
        /// The arguments of `nn_sgd_update` and `nn_adam_update`.
        case sgd(learningRate: Double, momentum: Double, weightDecay: Double, nesterov: Bool)
        case adam(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double, stepSize: Double,
                  rootCorrection2: Double)

        /// Parameters from which the update is split over two threads: lower for Adam, whose
        /// elements cost two divisions and a square root each (Docs/performance.md,
        /// "Two threads").
        var parallelParameters: Int {
            switch self {
            case .sgd: 1 << 14
            case .adam: 1 << 12
            }
        }
    }

    let rule: Rule
    let kernel: nn_kernel
    let p, grad, m, v: UnsafeMutablePointer<Double>

    func run(_ elements: Range<Int>) {
        let start = elements.lowerBound
        switch rule {
        case .sgd(let lr, let momentum, let weightDecay, let nesterov):
            nn_sgd_update(kernel, p + start, grad + start, m + start, elements.count,
                          lr, momentum, weightDecay, nesterov ? 1 : 0)
        case .adam(let beta1, let beta2, let epsilon, let weightDecay, let stepSize, let rootCorrection2):
            nn_adam_update(kernel, p + start, grad + start, m + start, v + start, elements.count,
                           beta1, beta2, epsilon, weightDecay, stepSize, rootCorrection2)
        }
    }
}
