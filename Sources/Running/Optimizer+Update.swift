import CKernels
import Foundation
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
                range: Range<Int>, learningRate lr: Double, step t: Int, kernel: nn_kernel) {
        let start = range.lowerBound
        let (p, grad, m, v) = (p.baseAddress.unsafelyUnwrapped + start, grad.baseAddress.unsafelyUnwrapped + start,
                               m.baseAddress.unsafelyUnwrapped + start, v.baseAddress.unsafelyUnwrapped + start)
        switch self {
        case .sgd(let momentum, let nesterov, let weightDecay):
            nn_sgd_update(kernel, p, grad, m, range.count,
                          nn_sgd_settings(learning_rate: lr, momentum: momentum, weight_decay: weightDecay,
                                          nesterov: nesterov ? 1 : 0))
        case .adam(let beta1, let beta2, let epsilon, let weightDecay):
            let correction1 = 1 - pow(beta1, Double(t))
            let correction2 = 1 - pow(beta2, Double(t))
            nn_adam_update(kernel, p, grad, m, v, range.count,
                           nn_adam_settings(beta1: beta1, beta2: beta2, epsilon: epsilon, weight_decay: weightDecay,
                                            step_size: lr / correction1, root_correction2: correction2.squareRoot()))
        }
    }
}
