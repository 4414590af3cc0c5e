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
    /// adamw: p = p (1 - lr wd)   (decoupled weight decay, torch.optim.AdamW), then adam's
    ///       step with g = grad
    /// rmsprop: g = grad + wd p
    ///       v = alpha v + (1 - alpha) g g
    ///       centered: a = alpha a + (1 - alpha) g;  d = sqrt(v - a a) + eps;  else d = sqrt(v) + eps
    ///       with momentum mu: buf = mu buf + g / d;  p = p - lr buf;  else p = p - lr g / d
    ///
    /// The element loops are `nn_sgd_update`, `nn_adam_update`, `nn_adamw_update` and
    /// `nn_rmsprop_update` (CKernels), which state
    /// the order of every rounded operation; each kernel gives the same bits.
    @inline(__always)
    func update(parameters p: UnsafeMutableBufferPointer<Double>, gradients grad: UnsafeMutableBufferPointer<Double>,
                firstMoment m: UnsafeMutableBufferPointer<Double>, secondMoment v: UnsafeMutableBufferPointer<Double>,
                gradientAverage a: UnsafeMutableBufferPointer<Double>, range: Range<Int>, learningRate lr: Double, step t: Int, kernel: nn_kernel, team: Team?) {
        let update = ElementUpdate(
            rule: rule(learningRate: lr, step: t), kernel: kernel,
            p: p.baseAddress.unsafelyUnwrapped + range.lowerBound, grad: grad.baseAddress.unsafelyUnwrapped + range.lowerBound,
            m: m.baseAddress.unsafelyUnwrapped + range.lowerBound, v: v.baseAddress.unsafelyUnwrapped + range.lowerBound,
            // One element unless centered RMSprop, which alone reads it.
            a: a.baseAddress.unsafelyUnwrapped + (keepsGradientAverage ? range.lowerBound : 0))
        let count = range.count
        if let team, count >= update.rule.parallelParameters {
            // Each element's update reads and writes only that element: two halves on two
            // threads give the same bits.
            team.inTwoHalves(of: count, granule: 8) { elements in update.run(elements) }
        } else {
            update.run(0..<count)
        }
    }

    /// How many buffers of per-parameter memory the rule keeps: none for SGD without
    /// momentum, the momentum buffer, Adam's m and v, or RMSprop's mean square, momentum
    /// buffer and mean gradient.
    var momentCount: Int {
        (keepsFirstMoment ? 1 : 0) + (keepsSecondMoment ? 1 : 0) + (keepsGradientAverage ? 1 : 0)
    }

    /// SGD's or RMSprop's momentum buffer, or Adam's m (the workspace's `firstMoment`).
    var keepsFirstMoment: Bool {
        switch self {
        case .sgd(let momentum, _, _), .rmsprop(_, _, let momentum, _, _): momentum != 0
        case .adam, .adamw: true
        }
    }

    /// Adam's v or RMSprop's mean square (`secondMoment`).
    var keepsSecondMoment: Bool {
        switch self {
        case .sgd: false
        case .adam, .adamw, .rmsprop: true
        }
    }

    /// Centered RMSprop's mean gradient (`gradientAverage`).
    var keepsGradientAverage: Bool {
        if case .rmsprop(_, _, _, let centered, _) = self { return centered }
        return false
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
        case .adamw(let beta1, let beta2, let epsilon, let weightDecay):
            let correction1 = 1 - nn_power_value(beta1, Int64(t))
            let correction2 = 1 - nn_power_value(beta2, Int64(t))
            return .adamw(beta1: beta1, beta2: beta2, epsilon: epsilon, decayFactor: 1 - lr * weightDecay,
                          stepSize: lr / correction1, rootCorrection2: correction2.squareRoot())
        case .rmsprop(let alpha, let epsilon, let momentum, let centered, let weightDecay):
            return .rmsprop(learningRate: lr, alpha: alpha, epsilon: epsilon, weightDecay: weightDecay,
                            momentum: momentum, centered: centered)
        }
    }
}

/// One optimizer update over a contiguous run of parameters, on a range of its elements;
/// two ranges touch disjoint elements.
private struct ElementUpdate {
    enum Rule {
        /// The arguments of `nn_sgd_update`, `nn_adam_update`, `nn_adamw_update` and `nn_rmsprop_update`.
        case sgd(learningRate: Double, momentum: Double, weightDecay: Double, nesterov: Bool)
        case adam(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double, stepSize: Double,
                  rootCorrection2: Double)
        case adamw(beta1: Double, beta2: Double, epsilon: Double, decayFactor: Double, stepSize: Double,
                   rootCorrection2: Double)
        case rmsprop(learningRate: Double, alpha: Double, epsilon: Double, weightDecay: Double, momentum: Double,
                     centered: Bool)

        /// Parameters from which the update is split over two threads: lower for Adam (and
        /// AdamW, RMSprop), whose elements cost two divisions and a square root each (Docs/performance.md,
        /// "Two threads").
        var parallelParameters: Int {
            switch self {
            case .sgd: 1 << 14
            case .adam, .adamw, .rmsprop: 1 << 12
            }
        }
    }

    let rule: Rule
    let kernel: nn_kernel
    let p, grad, m, v, a: UnsafeMutablePointer<Double>

    func run(_ elements: Range<Int>) {
        let start = elements.lowerBound
        switch rule {
        case .sgd(let lr, let momentum, let weightDecay, let nesterov):
            nn_sgd_update(kernel, p + start, grad + start, m + start, elements.count,
                          lr, momentum, weightDecay, nesterov ? 1 : 0)
        case .adam(let beta1, let beta2, let epsilon, let weightDecay, let stepSize, let rootCorrection2):
            nn_adam_update(kernel, p + start, grad + start, m + start, v + start, elements.count,
                           beta1, beta2, epsilon, weightDecay, stepSize, rootCorrection2)
        case .adamw(let beta1, let beta2, let epsilon, let decayFactor, let stepSize, let rootCorrection2):
            nn_adamw_update(kernel, p + start, grad + start, m + start, v + start, elements.count,
                            beta1, beta2, epsilon, decayFactor, stepSize, rootCorrection2)
        case .rmsprop(let lr, let alpha, let epsilon, let weightDecay, let momentum, let centered):
            nn_rmsprop_update(kernel, p + start, grad + start, v + start, centered ? a + start : a, m + start,
                              elements.count, lr, alpha, epsilon, weightDecay, momentum, centered ? 1 : 0)
        }
    }
}
