import Spec

/// How explain writes each loss's term and its derivative, with the output's numbers.
extension Loss {
    /// `E_o = term(target, out)` as a formula and with numbers: the terms of the chain.
    func termFormula(error: Math, target: Double, out: Double, outputs: Int, value: Double) -> [Math] {
        let t = Math.operand(target), o = Math.operand(out), result = Math.number(value)
        switch self {
        case .halfSquaredError:
            return [error, Math(latex: "\\frac{1}{2}(target - out)^{2}", text: "1/2 (target - out)^2"),
                               Math(latex: "\\frac{1}{2}(\(t.latex) - \(o.latex))^{2}", text: "1/2 (\(t.text) - \(o.text))^2"),
                               result]
        case .mse:
            return [error, Math(latex: "\\frac{1}{\(outputs)}(target - out)^{2}", text: "(target - out)^2 / \(outputs)"),
                               Math(latex: "\\frac{1}{\(outputs)}(\(t.latex) - \(o.latex))^{2}",
                                    text: "(\(t.text) - \(o.text))^2 / \(outputs)"), result]
        case .binaryCrossEntropy:
            return [error, Math(latex: "-[target \\ln(out) + (1 - target)\\ln(1 - out)]",
                                           text: "-[target ln(out) + (1 - target) ln(1 - out)]"),
                               Math(latex: "-[\(t.latex) \\ln(\(o.latex)) + (1 - \(t.latex))\\ln(1 - \(o.latex))]",
                                    text: "-[\(t.text) ln(\(o.text)) + (1 - \(t.text)) ln(1 - \(o.text))]"), result]
        case .crossEntropy:
            return [error, Math(latex: "-target \\ln(out)", text: "-target ln(out)"),
                               Math(latex: "-\(t.latex) \\ln(\(o.latex))", text: "-\(t.text) ln(\(o.text))"), result]
        }
    }

    /// `dE/dout` (or `dE/dnet` for the cross entropies) as a formula and with numbers: the terms of the chain.
    func derivativeFormula(derivative: Math, target: Double, out: Double, outputs: Int, value: Double) -> [Math] {
        let t = Math.operand(target), o = Math.operand(out), result = Math.number(value)
        switch self {
        case .halfSquaredError:
            return [derivative, Math(latex: "-(target - out)", text: "-(target - out)"),
                               Math(latex: "-(\(t.latex) - \(o.latex))", text: "-(\(t.text) - \(o.text))"), result]
        case .mse:
            return [derivative, Math(latex: "\\frac{2}{\(outputs)}(out - target)", text: "2 (out - target) / \(outputs)"),
                               Math(latex: "\\frac{2}{\(outputs)}(\(o.latex) - \(t.latex))", text: "2 (\(o.text) - \(t.text)) / \(outputs)"),
                               result]
        case .binaryCrossEntropy, .crossEntropy:
            return [derivative, Math(latex: "out - target", text: "out - target"),
                               Math(latex: "\(o.latex) - \(t.latex)", text: "\(o.text) - \(t.text)"), result]
        }
    }

    /// True when the loss is differentiated through the output activation in one step.
    var differentiatesThroughActivation: Bool { self == .binaryCrossEntropy || self == .crossEntropy }

    var rule: String {
        switch self {
        case .halfSquaredError: return "half_squared_error: E = sum over outputs of 1/2 (target - out)^2, dE/dout = -(target - out)"
        case .mse: return "mse: E = mean over the K outputs of (target - out)^2, dE/dout = 2 (out - target) / K"
        case .binaryCrossEntropy:
            return "binary_cross_entropy: E = sum over outputs of -[t ln(out) + (1 - t) ln(1 - out)]; with sigmoid outputs dE/dnet = out - target"
        case .crossEntropy: return "cross_entropy: E = -sum over outputs of t ln(out); with softmax outputs dE/dnet = out - target"
        }
    }
}
