import CKernels
import Spec

/// Each loss's value and gradient for one sample, side by side. A sample's loss is the
/// sum of its output terms; a batch's loss is the mean of its samples' losses.
extension Loss {
    /// Fills each output's term of the sample's loss, and dOut (with slope) for the
    /// backward pass; returns the sample's loss.
    ///
    /// - half_squared_error: term 1/2 (t - o)^2; dE/do = -(t - o).
    /// - mse: term (t - o)^2 / K; dE/do = 2 (o - t) / K.
    /// - binary_cross_entropy, from the logit z (sigmoid outputs):
    ///   term max(z, 0) - z t + log(1 + e^-|z|), which equals -[t log o + (1 - t) log(1 - o)]
    ///   without ever taking log 0; dE/dz = o - t.  The logarithm and exponential are
    ///   nnrun's own (`nn_log1p_value`, `nn_exp_value`: the same bits on every machine).
    /// - cross_entropy, from the logits z (softmax outputs):
    ///   term t_k (lse(z) - z_k), lse(z) = m + log sum_j e^(z_j - m), m = max_j z_j;
    ///   dE/dz = softmax(z) - t. The sum is `softmaxSum`, the one the softmax layer's
    ///   forward pass computed (the same terms in the same order, so the same bits); the
    ///   log is nnrun's own (`nn_log_value`).
    ///
    /// For the two cross entropies the gradient is with respect to the net input, so
    /// dOut holds dE/dnet and the slope is set to 1 (delta = dOut * slope stays exact).
    @inline(__always)
    func evaluate(net z: UnsafePointer<Double>, out o: UnsafePointer<Double>, targets t: UnsafePointer<Double>,
                  count K: Int, softmaxSum: Double, terms: UnsafeMutablePointer<Double>,
                  dOut: UnsafeMutablePointer<Double>, slope: UnsafeMutablePointer<Double>) -> Double {
        var total = 0.0
        switch self {
        case .halfSquaredError:
            for k in 0..<K {
                let difference = t[k] - o[k]
                terms[k] = 0.5 * difference * difference
                dOut[k] = -difference
                total += terms[k]
            }
        case .mse:
            let n = Double(K)
            for k in 0..<K {
                let difference = t[k] - o[k]
                terms[k] = difference * difference / n
                dOut[k] = 2 * (o[k] - t[k]) / n
                total += terms[k]
            }
        case .binaryCrossEntropy:
            for k in 0..<K {
                terms[k] = max(z[k], 0) - z[k] * t[k] + nn_log1p_value(nn_exp_value(-abs(z[k])))
                dOut[k] = o[k] - t[k]
                slope[k] = 1
                total += terms[k]
            }
        case .crossEntropy:
            var m = -Double.infinity
            for k in 0..<K where z[k] > m { m = z[k] }
            let logSumExp = m + nn_log_value(softmaxSum)
            for k in 0..<K {
                terms[k] = t[k] == 0 ? 0 : t[k] * (logSumExp - z[k])
                dOut[k] = o[k] - t[k]
                slope[k] = 1
                total += terms[k]
            }
        }
        return total
    }
}
