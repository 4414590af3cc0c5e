import Foundation
import Spec

/// Each activation's value and derivative, side by side.
///
/// `derivative(net:out:)` receives both the net input and the activation's output so
/// each rule can use the form the textbooks write (the logistic's o(1 - o)).
extension Activation {
    /// - sigmoid: 1 / (1 + e^-x), evaluated as e^x / (1 + e^x) for x < 0 so that e^-x
    ///   never overflows;
    /// - tanh: tanh(x);
    /// - relu: max(0, x);
    /// - linear: x.
    @inline(__always)
    public func value(_ x: Double) -> Double {
        switch self {
        case .sigmoid:
            if x >= 0 { return 1 / (1 + exp(-x)) }
            let e = exp(x)
            return e / (1 + e)
        case .tanh:
            return Foundation.tanh(x)
        case .relu:
            return x > 0 ? x : 0
        case .linear:
            return x
        }
    }

    /// dout/dnet:
    /// - sigmoid: o (1 - o);
    /// - tanh: 1 - o^2;
    /// - relu: 1 for x > 0, else 0 (0 at x = 0, as PyTorch);
    /// - linear: 1.
    @inline(__always)
    public func derivative(net x: Double, out o: Double) -> Double {
        switch self {
        case .sigmoid: return o * (1 - o)
        case .tanh: return 1 - o * o
        case .relu: return x > 0 ? 1 : 0
        case .linear: return 1
        }
    }
}
