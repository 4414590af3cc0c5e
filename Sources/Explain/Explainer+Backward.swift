import Planning
import Running
import Spec

/// The backward pass and the bias gradients.
extension Explainer {
    private var loss: Loss { plan.training.loss }

    /// The weights of layer l as the backward pass of the layer below reads them:
    /// before the step (deferred), or already updated (immediate).
    private func propagatedWeight(_ l: Int, _ j: Int, _ i: Int) -> Double {
        plan.training.update == .immediate ? trace.layers[l].weights[j][i] : weightBefore(l, j, i)
    }

    private func derivative(_ of: Math, _ by: Math) -> Math { Math.partial(of, by) }

    /// The walked sample's delta of unit j of layer l.
    private func sampleDelta(_ l: Int, _ j: Int) -> Math { ofSample(symbols.delta(l, j)) }

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
                backwardMatrix(l)
            }
        }
    }

    private mutating func backwardMatrix(_ l: Int) {
        let layer = plan.layers[l]
        let name = Math.name(layer.name)
        let delta = ofSample(Math(latex: "\\delta", text: "delta"))
        page.paragraph(.text("In matrix form (\(layer.weightCount) weights): "),
                       .math(Math.chain([delta, Math(latex: "\\frac{\\partial \(sampleLoss.latex)}{\\partial out} \\odot f'(net)",
                                                     text: "d\(sampleLoss.text)/dout * f'(net)")])),
                       .text(" and "),
                       .math(Math(latex: "\\frac{\\partial E_{total}}{\\partial W} = \\frac{1}{B}\\sum_{s} \\delta^{(s)} x^{(s)T}",
                                  text: "dE_total/dW = (1/B) sum_s delta(s) x(s)^T")), .text(" with B = \(batchSize)."))
        page.worked([ofSample(Math(latex: "\\delta_{\(name.latex)}", text: "delta_\(name.text)")), vector(trace.layers[l].delta[row])],
                    .backward)
        page.worked([Math(latex: "\\frac{\\partial E_{total}}{\\partial W_{\(name.latex)}}[0]", text: "dE_total/dW_\(name.text)[0]"),
                     vector(trace.layers[l].weightGradient[0])], .backward)
    }

    /// The chain rule for the layer's first weight, split into its factors.
    private mutating func chainRule(_ l: Int) {
        let weight = symbols.weight(l, 0, 0)
        let net = symbols.quantity("net", l, 0), out = symbols.quantity("out", l, 0)
        let throughActivation = l == lastLayer && loss.differentiatesThroughActivation
        let factors = throughActivation
            ? [derivative(sampleLoss, net), derivative(net, weight)]
            : [derivative(sampleLoss, out), derivative(out, net), derivative(net, weight)]
        let values = throughActivation
            ? [trace.layers[l].dOut[row][0], sourceValue(l, 0)]
            : [trace.layers[l].dOut[row][0], trace.layers[l].slope[row][0], sourceValue(l, 0)]
        let question: Explanation.Inline = batched ? .text(" change sample s's error? By the chain rule:")
                                                   : .text(" change the error? By the chain rule:")
        page.paragraph(.text("How much does "), .math(weight), question)
        page.equation(Math.chain([derivative(sampleLoss, weight), Math.join(factors, with: .times)]))
        page.worked([derivative(sampleLoss, weight), Math.join(values.map(Math.operand), with: .times),
                     Math.number(values.reduce(1, *))], .backward)
        page.paragraph(.text("The last factor is the input the weight multiplies, "), .math(ofSample(symbols.sourceValue(l, 0))),
                       .text("; the others are computed for every unit below."))
        if batched {
            page.paragraph(.text("That is sample s's share. The step's gradient "), .math(derivative(Symbols.total, weight)),
                           .text(" is the mean of the samples' shares, shown after the deltas."))
        }
    }

    /// dE/dout (from the loss, or summed from the layer above), dout/dnet, and delta.
    private mutating func unitDelta(_ l: Int, _ j: Int) {
        let layer = plan.layers[l]
        let out = symbols.quantity("out", l, j), net = symbols.quantity("net", l, j)
        let dOut = trace.layers[l].dOut[row][j], slope = trace.layers[l].slope[row][j], delta = trace.layers[l].delta[row][j]
        let deltaSymbol = sampleDelta(l, j)
        if l == lastLayer {
            if loss.differentiatesThroughActivation {
                page.worked(loss.derivativeFormula(derivative: deltaSymbol + Math.equals + derivative(sampleLoss, net),
                                                   target: target(j), out: trace.layers[l].out[row][j],
                                                   outputs: plan.outputCount, value: delta), .backward)
                return
            }
            page.worked(loss.derivativeFormula(derivative: derivative(sampleLoss, out), target: target(j),
                                               out: trace.layers[l].out[row][j], outputs: plan.outputCount, value: dOut), .backward)
        } else {
            // The sum over the units k of the layer above: delta_k * w_kj.
            let above = plan.layers[l + 1]
            let immediate = plan.training.update == .immediate
            let symbolic = (0..<above.units).map { k in
                let weight = symbols.weight(l + 1, k, j)
                return sampleDelta(l + 1, k) + .times + (immediate ? Math.superscript(weight, Math("+")) : weight)
            }
            let numeric = (0..<above.units).map { k in
                Math.operand(trace.layers[l + 1].delta[row][k]) + .times + Math.operand(propagatedWeight(l + 1, k, j))
            }
            let products = (0..<above.units).map { k in
                Math.operand(trace.layers[l + 1].delta[row][k] * propagatedWeight(l + 1, k, j))
            }
            let which = immediate ? " (weights of '\(above.name)' after their update)" : ""
            if j == 0 {
                page.paragraph(.text("\(symbols.unit(l, j).text) feeds every unit of '\(above.name)', so its error sums their deltas times the connecting weights\(which):"))
            }
            page.worked([derivative(sampleLoss, out), Math.join(symbolic, with: .plus),
                         Math.join(numeric, with: .plus), Math.join(products, with: .plus), Math.number(dOut)], .backward)
        }
        if layer.activation != .softmax {
            page.worked(layer.activation.derivativeFormula(
                derivative: derivative(out, net), netValue: trace.layers[l].net[row][j], outValue: trace.layers[l].out[row][j],
                alpha: layer.alpha, slope: slope), .backward)
        }
        page.worked([deltaSymbol, derivative(sampleLoss, out) + .times + derivative(out, net),
                     Math.operand(dOut) + .times + Math.operand(slope), Math.number(delta)], .backward)
    }

    /// dE_total/dw = (1/B) sum_s delta(s) x(s): delta times input, averaged over the batch.
    private mutating func weightGradient(_ l: Int, _ j: Int, _ i: Int) {
        let weight = symbols.weight(l, j, i)
        let gradient = trace.layers[l].weightGradient[j][i]
        let product = sampleDelta(l, j) + .times + ofSample(symbols.sourceValue(l, i))
        guard batched else {
            page.worked([derivative(Symbols.total, weight), product,
                         Math.operand(trace.layers[l].delta[row][j]) + .times + Math.operand(sourceValue(l, i)),
                         Math.number(gradient)], .backward)
            return
        }
        let terms = (0..<batchSize).map { r in
            Math.operand(trace.layers[l].delta[r][j]) + .times + Math.operand(sourceValue(l, i, row: r))
        }
        page.worked([derivative(Symbols.total, weight), batchMean(product)] + batchTerms(terms) + [Math.number(gradient)],
                    .backward)
    }

    /// `1/B sum_s term`.
    private func batchMean(_ term: Math) -> Math {
        batchFactor + Math(latex: " \\sum_{s} ", text: " sum_s ") + term
    }

    /// `1/B (t_1 + t_2 + ...)` with every sample's term, when the batch is small enough.
    private func batchTerms(_ terms: [Math]) -> [Math] {
        batchShownInFull ? [batchFactor + Math(" ") + Math.parenthesized(Math.join(terms, with: .plus))] : []
    }

    mutating func biases() {
        let layers = plan.layers.enumerated().filter { $0.element.biasCount > 0 }
        guard !layers.isEmpty else { return }
        page.heading(2, "The biases")
        let averaged = batched ? ", averaged over the step's \(batchSize) samples" : ""
        page.paragraph(.text("A bias is a weight on a constant input 1, so its gradient is the unit's delta\(averaged). A bias shared by a layer's units is one parameter: its gradient is the SUM of their deltas."))
        for (l, layer) in layers {
            let gradients = trace.layers[l].biasGradient ?? []
            if !unitByUnit(l) {
                let name = Math.name(layer.name)
                page.worked([Math(latex: "\\frac{\\partial E_{total}}{\\partial b_{\(name.latex)}}", text: "dE_total/db_\(name.text)"),
                             vector(gradients)], .backward)
            } else if layer.biasShared, let symbol = symbols.bias(l, 0), let value = gradients.first {
                let deltas = Math.join((0..<layer.units).map { sampleDelta(l, $0) }, with: .plus)
                func sum(_ r: Int) -> Math { Math.join(trace.layers[l].delta[r].map(Math.operand), with: .plus) }
                let parts = batched
                    ? [batchMean(Math.parenthesized(deltas))]
                        + batchTerms((0..<batchSize).map { Math.parenthesized(sum($0)) })
                    : [deltas, sum(row)]
                page.worked([Math.partial(Symbols.total, symbol)] + parts + [Math.number(value)], .backward)
            } else {
                for j in 0..<layer.units {
                    guard let symbol = symbols.bias(l, j), j < gradients.count else { continue }
                    let parts = batched
                        ? [batchMean(sampleDelta(l, j))] + batchTerms((0..<batchSize).map { Math.operand(trace.layers[l].delta[$0][j]) })
                        : [sampleDelta(l, j)]
                    page.worked([Math.partial(Symbols.total, symbol)] + parts + [Math.number(gradients[j])], .backward)
                }
            }
            if !layer.biasTrained {
                page.paragraph(.text("The biases of '\(layer.name)' are held fixed (train_biases: false): this gradient is computed but not applied."))
            }
        }
    }
}
