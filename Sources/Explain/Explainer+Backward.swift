import Planning
import Running
import Spec

/// The backward pass, the bias gradients, the update and the error after it.
extension Explainer {
    private var loss: Loss { plan.training.loss }

    /// The weights of layer l as the backward pass of the layer below reads them:
    /// before the step (deferred), or already updated (immediate).
    private func propagatedWeight(_ l: Int, _ j: Int, _ i: Int) -> Double {
        plan.training.update == .immediate ? trace.layers[l].weights[j][i] : weightBefore(l, j, i)
    }

    private func derivative(_ of: Math, _ by: Math) -> Math { Math.partial(of, by) }

    mutating func backwardPass() {
        page.heading(2, "The backward pass")
        if plan.training.update == .immediate {
            page.note(.text("update: immediate. Each layer is updated as soon as its gradient is known, from the output layer down; the error sent to the layer below is computed with the upper layer's updated weights. The formulas below say where."))
        }
        for l in stride(from: lastLayer, through: 0, by: -1) {
            let layer = plan.layers[l]
            page.heading(3, "Layer '\(layer.name)'")
            if unitByUnit(l) {
                chainRule(l)
                for j in 0..<layer.units { unitDelta(l, j) }
                for j in 0..<layer.units { for i in 0..<layer.inputCount { weightGradient(l, j, i) } }
            } else {
                page.paragraph(.text("In matrix form (\(layer.weightCount) weights): "),
                               .math(Math(latex: "\\delta = \\frac{\\partial E}{\\partial out} \\odot f'(net)", text: "delta = dE/dout * f'(net)")),
                               .text(" and "),
                               .math(Math(latex: "\\frac{\\partial E}{\\partial W} = \\frac{1}{B}\\sum_s \\delta_s x_s^T",
                                          text: "dE/dW = (1/B) sum_s delta_s x_s^T")), .text(" with B = \(batchSize)."))
                page.equation(Math.chain([Math(latex: "\\delta_{\(layer.name)}", text: "delta_\(layer.name)"),
                                          vector(trace.layers[l].delta[row])]))
                page.equation(Math.chain([Math(latex: "\\frac{\\partial E}{\\partial W_{\(layer.name)}}[0]",
                                               text: "dE/dW_\(layer.name)[0]"),
                                          vector(trace.layers[l].weightGradient[0])]))
            }
        }
    }

    /// The chain rule for the layer's first weight, split into its factors.
    private mutating func chainRule(_ l: Int) {
        let weight = symbols.weight(l, 0, 0)
        let net = symbols.quantity("net", l, 0), out = symbols.quantity("out", l, 0)
        let total = Symbols.total
        let throughActivation = l == lastLayer && loss.differentiatesThroughActivation
        let factors = throughActivation
            ? [derivative(total, net), derivative(net, weight)]
            : [derivative(total, out), derivative(out, net), derivative(net, weight)]
        let values = throughActivation
            ? [trace.layers[l].dOut[row][0], sourceValue(l, 0)]
            : [trace.layers[l].dOut[row][0], trace.layers[l].slope[row][0], sourceValue(l, 0)]
        page.paragraph(.text("How much does "), .math(weight), .text(" change the error? By the chain rule:"))
        page.equation(Math.chain([derivative(total, weight), Math.join(factors, with: .times)]))
        page.equation(Math.chain([derivative(total, weight), Math.join(values.map(Math.operand), with: .times),
                                  Math.number(values.reduce(1, *))]))
        page.paragraph(.text("The last factor is the input the weight multiplies, "), .math(symbols.sourceValue(l, 0)),
                       .text("; the others are computed for every unit below."))
    }

    /// dE/dout (from the loss, or summed from the layer above), dout/dnet, and delta.
    private mutating func unitDelta(_ l: Int, _ j: Int) {
        let layer = plan.layers[l]
        let out = symbols.quantity("out", l, j), net = symbols.quantity("net", l, j)
        let dOut = trace.layers[l].dOut[row][j], slope = trace.layers[l].slope[row][j], delta = trace.layers[l].delta[row][j]
        let deltaSymbol = Math(latex: "\\delta_{\(symbols.unit(l, j).latex)}", text: "delta_\(symbols.unit(l, j).text)")
        if l == lastLayer {
            if loss.differentiatesThroughActivation {
                page.equation(loss.derivativeFormula(derivative: deltaSymbol + Math.equals + derivative(Symbols.total, net),
                                                     target: target(j), out: trace.layers[l].out[row][j],
                                                     outputs: plan.outputCount, value: delta))
                return
            }
            page.equation(loss.derivativeFormula(derivative: derivative(Symbols.total, out), target: target(j),
                                                 out: trace.layers[l].out[row][j], outputs: plan.outputCount, value: dOut))
        } else {
            // The sum over the units k of the layer above: delta_k * w_kj.
            let above = plan.layers[l + 1]
            let updated = plan.training.update == .immediate ? Math(latex: "^{+}", text: "+") : Math("")
            let symbolic = (0..<above.units).map { k in
                Math(latex: "\\delta_{\(symbols.unit(l + 1, k).latex)}", text: "delta_\(symbols.unit(l + 1, k).text)")
                    + .times + symbols.weight(l + 1, k, j) + updated
            }
            let numeric = (0..<above.units).map { k in
                Math.operand(trace.layers[l + 1].delta[row][k]) + .times + Math.operand(propagatedWeight(l + 1, k, j))
            }
            let products = (0..<above.units).map { k in
                Math.operand(trace.layers[l + 1].delta[row][k] * propagatedWeight(l + 1, k, j))
            }
            let which = plan.training.update == .immediate ? " (weights of '\(above.name)' after their update)" : ""
            if j == 0 {
                page.paragraph(.text("\(symbols.unit(l, j).text) feeds every unit of '\(above.name)', so its error sums their deltas times the connecting weights\(which):"))
            }
            page.equation(Math.chain([derivative(Symbols.total, out), Math.join(symbolic, with: .plus),
                                      Math.join(numeric, with: .plus), Math.join(products, with: .plus), Math.number(dOut)]))
        }
        if layer.activation != .softmax {
            page.equation(layer.activation.derivativeFormula(
                derivative: derivative(out, net), netValue: trace.layers[l].net[row][j], outValue: trace.layers[l].out[row][j],
                alpha: layer.alpha, slope: slope))
        }
        page.equation(Math.chain([deltaSymbol, derivative(Symbols.total, out) + .times + derivative(out, net),
                                  Math.operand(dOut) + .times + Math.operand(slope), Math.number(delta)]))
    }

    /// dE/dw = delta x, averaged over the batch's samples.
    private mutating func weightGradient(_ l: Int, _ j: Int, _ i: Int) {
        let weight = symbols.weight(l, j, i)
        let gradient = trace.layers[l].weightGradient[j][i]
        let deltaSymbol = Math(latex: "\\delta_{\(symbols.unit(l, j).latex)}", text: "delta_\(symbols.unit(l, j).text)")
        if batchSize == 1 {
            page.equation(Math.chain([derivative(Symbols.total, weight), deltaSymbol + .times + symbols.sourceValue(l, i),
                                      Math.operand(trace.layers[l].delta[row][j]) + .times + Math.operand(sourceValue(l, i)),
                                      Math.number(gradient)]))
            return
        }
        let terms = (0..<batchSize).map { r in
            Math.operand(trace.layers[l].delta[r][j]) + .times + Math.operand(sourceValue(l, i, row: r))
        }
        let shown = batchSize <= 8 ? [Math(latex: "\\frac{1}{\(batchSize)}", text: "1/\(batchSize)")
                                        + Math.parenthesized(Math.join(terms, with: .plus))] : []
        page.equation(Math.chain([derivative(Symbols.total, weight),
                                  Math(latex: "\\frac{1}{\(batchSize)}\\sum_s \\delta^{(s)} x^{(s)}", text: "1/\(batchSize) sum_s delta(s) x(s)")]
                                 + shown + [Math.number(gradient)]))
    }

    mutating func biases() {
        let layers = plan.layers.enumerated().filter { $0.element.biasCount > 0 }
        guard !layers.isEmpty else { return }
        page.heading(2, "The biases")
        page.paragraph(.text("A bias is a weight on a constant input 1, so its gradient is the unit's delta (averaged over the batch's samples). A bias shared by a layer is one parameter: its gradient is the SUM of its units' deltas."))
        for (l, layer) in layers {
            let deltas = (0..<layer.units).map {
                Math(latex: "\\delta_{\(symbols.unit(l, $0).latex)}", text: "delta_\(symbols.unit(l, $0).text)")
            }
            let gradients = trace.layers[l].biasGradient ?? []
            if layer.biasShared, let symbol = symbols.bias(l, 0), let value = gradients.first {
                var parts = [Math.partial(Symbols.total, symbol), Math.join(deltas, with: .plus)]
                if batchSize == 1 { parts.append(Math.join(trace.layers[l].delta[row].map(Math.operand), with: .plus)) }
                page.equation(Math.chain(parts + [Math.number(value)]))
            } else {
                for j in 0..<layer.units {
                    guard let symbol = symbols.bias(l, j), j < gradients.count else { continue }
                    page.equation(Math.chain([Math.partial(Symbols.total, symbol), deltas[j], Math.number(gradients[j])]))
                }
            }
            if !layer.biasTrained {
                page.paragraph(.text("The biases of '\(layer.name)' are held fixed (train_biases: false): this gradient is computed but not applied."))
            }
        }
    }

    mutating func update() {
        page.heading(2, "The update")
        let eta = Math(latex: "\\eta", text: "eta")
        let rate = Math.number(plan.training.learningRate)
        let plainSGD = plan.training.optimizer == .plainSGD
        if plainSGD {
            page.paragraph(.text("Gradient descent moves every trained parameter against its gradient, scaled by the learning rate "),
                           .math(eta), .text(" = "), .math(rate), .text(":"))
        } else {
            page.paragraph(.text("The optimizer is \(plan.training.optimizer.name) (\(optimizerRule)); the table shows each parameter before, its gradient, and after."))
        }
        var rows: [[Explanation.Inline]] = []
        for (l, layer) in plan.layers.enumerated() {
            for j in 0..<layer.units {
                for i in 0..<layer.inputCount {
                    let symbol = unitByUnit(l) ? symbols.weight(l, j, i) : Math("\(layer.name).weights[\(j)][\(i)]")
                    let before = weightBefore(l, j, i), gradient = trace.layers[l].weightGradient[j][i]
                    let after = trace.layers[l].weights[j][i]
                    if plainSGD && unitByUnit(l) {
                        page.equation(Math.chain([symbol + Math(latex: "^{+}", text: "+"),
                                                  symbol + .minus + eta + .times + Math.partial(Symbols.total, symbol),
                                                  Math.number(before) + .minus + rate + .times + Math.operand(gradient),
                                                  Math.number(after)]))
                    } else if rows.count < 64 {
                        rows.append([.math(symbol), .math(Math.number(before)), .math(Math.number(gradient)), .math(Math.number(after))])
                    }
                }
            }
            if layer.biasTrained, let after = trace.layers[l].bias {
                let units = layer.biasShared ? [0] : Array(0..<layer.units)
                for j in units {
                    guard let symbol = symbols.bias(l, j), let before = biasBefore(l, j),
                          let gradient = trace.layers[l].biasGradient?[layer.biasShared ? 0 : j] else { continue }
                    if plainSGD {
                        page.equation(Math.chain([symbol + Math(latex: "^{+}", text: "+"),
                                                  Math.number(before) + .minus + rate + .times + Math.operand(gradient),
                                                  Math.number(after[j])]))
                    } else if rows.count < 64 {
                        rows.append([.math(symbol), .math(Math.number(before)), .math(Math.number(gradient)), .math(Math.number(after[j]))])
                    }
                }
            }
        }
        if !rows.isEmpty { page.table(["parameter", "before", "gradient", "after"], rows) }
    }

    private var optimizerRule: String {
        switch plan.training.optimizer {
        case .sgd(let momentum, let nesterov, let weightDecay):
            return "g = grad + \(Math.format(weightDecay)) p; buf = \(Math.format(momentum)) buf + g; p = p - lr \(nesterov ? "(g + \(Math.format(momentum)) buf)" : "buf")"
        case .adam(let beta1, let beta2, let epsilon, let weightDecay):
            return "g = grad + \(Math.format(weightDecay)) p; m = \(Math.format(beta1)) m + (1 - \(Math.format(beta1))) g; v = \(Math.format(beta2)) v + (1 - \(Math.format(beta2))) g^2; p = p - lr m/(1 - beta1^t) / (sqrt(v/(1 - beta2^t)) + \(Math.format(epsilon)))"
        }
    }

    mutating func after() {
        page.heading(2, "After the update")
        page.paragraph(.text("With the updated parameters the mean error over the training set is "),
                       .math(Math.chain([Symbols.total, Math.number(input.lossAfter)])),
                       .text(" (it was "), .math(Math.number(trace.loss)), .text(" on this step's batch before the update)."))
        if TutorialReference.matches(plan), trace.step == 1 {
            if plan.training.update == .deferred {
                page.note(.text("The tutorial prints 0.291027924 here. That figure comes from updating w5..w8 before computing the hidden deltas (update: immediate, specs/tutorial-published.yaml); with every gradient taken from the weights before the step, as the tutorial's text derives them, the error is 0.291027774."))
            } else {
                page.note(.text("This is the ordering behind the tutorial's published 0.291027924: w5..w8 were updated before the hidden deltas were computed. Standard (deferred) backpropagation, which the tutorial's text derives, gives 0.291027774 (specs/tutorial.yaml)."))
            }
        }
    }
}

/// Recognizes the network and sample of "A Step by Step Backpropagation Example".
enum TutorialReference {
    static func matches(_ plan: Plan) -> Bool {
        Array(plan.inputs) == [0.05, 0.10] && Array(plan.targets) == [0.01, 0.99] && plan.layers.count == 2
            && plan.initialParameters.prefix(4) == [0.15, 0.20, 0.25, 0.30]
            && plan.layers.allSatisfy { $0.activation == .sigmoid } && plan.training.loss == .halfSquaredError
            && plan.training.learningRate == 0.5
    }
}
