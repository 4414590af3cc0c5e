import CKernels
import Spec

/// Each activation's value and derivative, side by side.
///
/// `derivative(net:out:alpha:)` receives both the net input and the activation's output
/// so each rule can use the form the textbooks write (the logistic's o(1 - o)).
extension Activation {
    /// - sigmoid: 1 / (1 + e^-x), evaluated as e^x / (1 + e^x) for x < 0 so that e^-x
    ///   never overflows, with nnrun's own exp (`nn_sigmoid_value`, CKernels/elementary.h:
    ///   the same bits on every machine and from the vectorized layer loop `nn_sigmoid`);
    /// - tanh: tanh(x), nnrun's own (`nn_tanh_value`, CKernels/tanh.c): the same bits on
    ///   every machine and from the vectorized layer loop;
    /// - relu: max(0, x);
    /// - leaky_relu: x for x > 0, alpha x otherwise;
    /// - linear: x;
    /// - softmax: normalizes a whole row, see `softmax(_:into:count:)`; x here.
    @inline(__always)
    public func value(_ x: Double, alpha: Double = 0.01) -> Double {
        switch self {
        case .sigmoid:
            return nn_sigmoid_value(x)
        case .tanh:
            return nn_tanh_value(x)
        case .relu:
            return x > 0 ? x : 0
        case .leakyRelu:
            return x > 0 ? x : alpha * x
        case .linear, .softmax:
            return x
        }
    }

    /// dout/dnet:
    /// - sigmoid: o (1 - o);
    /// - tanh: 1 - o^2;
    /// - relu: 1 for x > 0, else 0 (0 at x = 0, as PyTorch);
    /// - leaky_relu: 1 for x > 0, else alpha (alpha at x = 0, as PyTorch);
    /// - linear: 1;
    /// - softmax: its Jacobian is not diagonal; with cross_entropy the loss gives
    ///   dE/dnet = softmax(net) - t directly and the slope is taken as 1.
    @inline(__always)
    public func derivative(net x: Double, out o: Double, alpha: Double = 0.01) -> Double {
        switch self {
        case .sigmoid: return o * (1 - o)
        case .tanh: return 1 - o * o
        case .relu: return x > 0 ? 1 : 0
        case .leakyRelu: return x > 0 ? 1 : alpha
        case .linear, .softmax: return 1
        }
    }

}
