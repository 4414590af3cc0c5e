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
    @inline(__always)
    func update(parameters p: UnsafeMutableBufferPointer<Double>, gradients grad: UnsafeMutableBufferPointer<Double>,
                firstMoment m: UnsafeMutableBufferPointer<Double>, secondMoment v: UnsafeMutableBufferPointer<Double>,
                range: Range<Int>, learningRate lr: Double, step t: Int) {
        switch self {
        case .sgd(let momentum, let nesterov, let weightDecay):
            for k in range {
                var g = grad[k]
                if weightDecay != 0 { g += weightDecay * p[k] }
                if momentum != 0 {
                    m[k] = momentum * m[k] + g
                    g = nesterov ? g + momentum * m[k] : m[k]
                }
                p[k] -= lr * g
            }
        case .adam(let beta1, let beta2, let epsilon, let weightDecay):
            let correction1 = 1 - pow(beta1, Double(t))
            let correction2 = 1 - pow(beta2, Double(t))
            let stepSize = lr / correction1
            let root2 = correction2.squareRoot()
            for k in range {
                var g = grad[k]
                if weightDecay != 0 { g += weightDecay * p[k] }
                m[k] = beta1 * m[k] + (1 - beta1) * g
                v[k] = beta2 * v[k] + (1 - beta2) * g * g
                let denominator = v[k].squareRoot() / root2 + epsilon
                p[k] -= stepSize * (m[k] / denominator)
            }
        }
    }
}
