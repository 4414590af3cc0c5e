import Spec

/// How explain writes each activation and its derivative, with the unit's own numbers.
extension Activation {
    /// `out = f(net)` written as a formula, then with the number substituted: the terms of the chain.
    func valueFormula(net: Math, out: Math, netValue: Double, outValue: Double, alpha: Double) -> [Math] {
        let x = Math.operand(netValue)
        let result = Math.number(outValue)
        switch self {
        case .sigmoid:
            return [out,
                               Math(latex: "\\frac{1}{1+e^{-\(net.latex)}}", text: "1 / (1 + e^(-\(net.text)))"),
                               Math(latex: "\\frac{1}{1+e^{-\(x.latex)}}", text: "1 / (1 + e^(-\(x.text)))"), result]
        case .tanh:
            return [out, Math(latex: "\\tanh(\(net.latex))", text: "tanh(\(net.text))"),
                               Math(latex: "\\tanh(\(x.latex))", text: "tanh(\(x.text))"), result]
        case .relu:
            return [out, Math(latex: "\\max(0, \(net.latex))", text: "max(0, \(net.text))"),
                               Math(latex: "\\max(0, \(x.latex))", text: "max(0, \(x.text))"), result]
        case .leakyRelu:
            let a = Math.number(alpha)
            return [out,
                               Math(latex: "\(net.latex) \\text{ if } \(net.latex) > 0 \\text{ else } \(a.latex) \\cdot \(net.latex)",
                                    text: "\(net.text) if \(net.text) > 0 else \(a.text) * \(net.text)"),
                               result]
        case .linear:
            return [out, net, result]
        case .softmax:
            return [out, Math(latex: "\\frac{e^{\(net.latex)}}{\\sum_k e^{net_{o_k}}}",
                                         text: "e^\(net.text) / sum_k e^net_ok"), result]
        }
    }

    /// `dout/dnet = f'(net)` written as a formula, then with numbers: the terms of the chain.
    func derivativeFormula(derivative: Math, netValue: Double, outValue: Double, alpha: Double, slope: Double) -> [Math] {
        let o = Math.operand(outValue)
        let result = Math.number(slope)
        switch self {
        case .sigmoid:
            return [derivative, Math(latex: "out(1 - out)", text: "out (1 - out)"),
                               Math(latex: "\(o.latex)(1 - \(o.latex))", text: "\(o.text) (1 - \(o.text))"), result]
        case .tanh:
            let square = Math.power(outValue, "2")
            return [derivative, Math(latex: "1 - out^2", text: "1 - out^2"),
                               Math(latex: "1 - \(square.latex)", text: "1 - \(square.text)"), result]
        case .relu:
            return [derivative, Math(latex: "1 \\text{ if } net > 0 \\text{ else } 0",
                                                text: "1 if net > 0 else 0"), result]
        case .leakyRelu:
            let a = Math.number(alpha)
            return [derivative, Math(latex: "1 \\text{ if } net > 0 \\text{ else } \(a.latex)",
                                                text: "1 if net > 0 else \(a.text)"), result]
        case .linear:
            return [derivative, Math("1")]
        case .softmax:
            return [derivative, Math(latex: "1 \\text{ (taken with the loss, see below)}",
                                                text: "1 (taken with the loss, see below)")]
        }
    }

    /// One line for the legend of derivatives.
    var derivativeRule: String {
        switch self {
        case .sigmoid: return "sigmoid: out = 1/(1+e^-net), dout/dnet = out(1 - out)"
        case .tanh: return "tanh: out = tanh(net), dout/dnet = 1 - out^2"
        case .relu: return "relu: out = max(0, net), dout/dnet = 1 for net > 0, else 0 (0 at net = 0)"
        case .leakyRelu: return "leaky_relu: out = net for net > 0, else alpha net; dout/dnet = 1 for net > 0, else alpha"
        case .linear: return "linear: out = net, dout/dnet = 1"
        case .softmax: return "softmax: out_k = e^net_k / sum_j e^net_j; with cross entropy dE/dnet_k = out_k - target_k"
        }
    }
}
