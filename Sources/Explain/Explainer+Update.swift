import CKernels
import Foundation
import Planning
import Running
import Validation

/// The update of every trained parameter, with the optimizer's memory, and the loss
/// after it.
extension Explainer {
    /// One trained parameter in the update: its numbers before and after, and the
    /// optimizer's memory of it (SGD's or RMSprop's momentum buffer or Adam's m, Adam's v
    /// or RMSprop's mean square, centered RMSprop's mean gradient).
    private struct ParameterStep {
        var symbol: Math
        var before: Double
        var gradient: Double
        var after: Double
        var first: (before: Double, after: Double)?
        var second: (before: Double, after: Double)?
        /// Centered RMSprop's mean gradient.
        var third: (before: Double, after: Double)? = nil
        /// Written as equations (else as a table row).
        var unitByUnit: Bool
    }

    /// At most this many parameters of the layers in matrix form are listed in the table.
    private static let tableRows = 64

    private var eta: Math { Math(latex: "\\eta", text: "eta") }
    /// This step's rate: the spec's, or its schedule's for this step.
    private var rate: Math { Math.number(plan.learningRate(update: trace.step)) }

    mutating func update() {
        page.heading(2, "The update")
        if let schedule = plan.training.schedule { scheduledRate(schedule) }
        let steps = parameterSteps()
        switch plan.training.optimizer {
        case .sgd(let momentum, let nesterov, let weightDecay):
            sgdRule(momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
            for step in steps where step.unitByUnit {
                sgdUpdate(step, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
            }
        case .adam(let beta1, let beta2, let epsilon, let weightDecay):
            let corrections = adamRule(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
            for step in steps where step.unitByUnit {
                adamUpdate(step, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, corrections: corrections)
            }
        case .adamw(let beta1, let beta2, let epsilon, let weightDecay):
            let corrections = adamRule(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupled: true)
            for step in steps where step.unitByUnit {
                adamUpdate(step, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, corrections: corrections,
                           decoupled: true)
            }
        case .rmsprop(let alpha, let epsilon, let momentum, let centered, let weightDecay):
            rmspropRule(alpha: alpha, epsilon: epsilon, momentum: momentum, centered: centered, weightDecay: weightDecay)
            for step in steps where step.unitByUnit {
                rmspropUpdate(step, alpha: alpha, epsilon: epsilon, momentum: momentum, weightDecay: weightDecay)
            }
        }
        parameterTable(steps.filter { !$0.unitByUnit })
    }

    /// Every trained parameter, layer by layer: weights row by row, then the bias (once
    /// when shared).
    private func parameterSteps() -> [ParameterStep] {
        var steps: [ParameterStep] = []
        for (l, layer) in plan.layers.enumerated() {
            let traced = trace.layers[l], previous = input.previous?.layers[l]
            func memory(_ now: LayerParameters?, _ before: LayerParameters?, _ j: Int, _ i: Int?) -> (before: Double, after: Double)? {
                guard let now else { return nil }
                guard let i else {
                    guard let after = now.bias?[j] else { return nil }
                    return (before?.bias?[j] ?? 0, after)
                }
                return (before?.weights[j][i] ?? 0, now.weights[j][i])
            }
            for j in 0..<layer.units {
                for i in 0..<layer.inputCount {
                    steps.append(ParameterStep(
                        symbol: unitByUnit(l) ? symbols.weight(l, j, i) : Math("\(layer.name).weights[\(j)][\(i)]"),
                        before: weightBefore(l, j, i), gradient: traced.weightGradient[j][i], after: traced.weights[j][i],
                        first: memory(traced.firstMoment, previous?.firstMoment, j, i),
                        second: memory(traced.secondMoment, previous?.secondMoment, j, i),
                        third: memory(traced.gradientAverage, previous?.gradientAverage, j, i),
                        unitByUnit: unitByUnit(l)))
                }
            }
            guard layer.biasTrained, let after = traced.bias else { continue }
            for j in layer.biasShared ? [0] : Array(0..<layer.units) {
                guard let symbol = symbols.bias(l, j), let before = biasBefore(l, j),
                      let gradient = traced.biasGradient?[layer.biasShared ? 0 : j] else { continue }
                let name = layer.biasShared ? "\(layer.name).bias" : "\(layer.name).bias[\(j)]"
                steps.append(ParameterStep(
                    symbol: unitByUnit(l) ? symbol : Math(name), before: before, gradient: gradient, after: after[j],
                    first: memory(traced.firstMoment, previous?.firstMoment, j, nil),
                    second: memory(traced.secondMoment, previous?.secondMoment, j, nil),
                    third: memory(traced.gradientAverage, previous?.gradientAverage, j, nil),
                    unitByUnit: unitByUnit(l)))
            }
        }
        return steps
    }

    // MARK: SGD

    private mutating func sgdRule(momentum: Double, nesterov: Bool, weightDecay: Double) {
        if momentum == 0 && weightDecay == 0 {
            page.paragraph(.text("Gradient descent moves every trained parameter against its gradient, scaled by the learning rate "),
                           .math(eta), .text(" = "), .math(rate), .text(":"))
            return
        }
        var settings: [Explanation.Inline] = [.text("The optimizer is SGD with learning rate "), .math(eta + Math(" = ") + rate)]
        if momentum != 0 { settings += [.text(nesterov ? ", Nesterov momentum " : ", momentum "), .math(mu + Math(" = ") + Math.number(momentum))] }
        if weightDecay != 0 { settings += [.text(" and weight decay "), .math(lambda + Math(" = ") + Math.number(weightDecay))] }
        page.paragraph(settings + [.text(", as torch.optim.SGD does it (dampening 0), for each parameter p:")])
        if weightDecay != 0 { page.equation(Math.chain([Math("g"), partialOf(Math("p")) + .plus + lambda + .times + Math("p")])) }
        let g = weightDecay != 0 ? Math("g") : partialOf(Math("p"))
        if momentum != 0 {
            let buffer = Math(latex: "\\mathrm{buf}", text: "buf")
            page.equation(Math.chain([Math.superscript(buffer, Math("+")), mu + .times + buffer + .plus + g]))
            page.paragraph(.text("The buffer starts at 0 before the first step and carries over from step to step."))
            let moved = nesterov ? Math.parenthesized(g + .plus + mu + .times + Math.superscript(buffer, Math("+")))
                                 : Math.superscript(buffer, Math("+"))
            page.equation(Math.chain([Math.superscript(Math("p"), Math("+")), Math("p") + .minus + eta + .times + moved]))
        } else {
            page.equation(Math.chain([Math.superscript(Math("p"), Math("+")), Math("p") + .minus + eta + .times + g]))
        }
    }

    private mutating func sgdUpdate(_ step: ParameterStep, momentum: Double, nesterov: Bool, weightDecay: Double) {
        let symbol = step.symbol, next = Math.superscript(step.symbol, Math("+"))
        let (g, gValue) = decayedGradient(step, weightDecay: weightDecay)
        guard momentum != 0, let buffer = step.first else {
            page.worked([next, symbol + .minus + eta + .times + g,
                         Math.number(step.before) + .minus + rate + .times + Math.operand(gValue),
                         Math.number(step.after)], .update)
            return
        }
        let bufferSymbol = Math(latex: "\\mathrm{buf}_{\(symbol.latex)}", text: "buf_\(symbol.text)")
        let bufferNext = Math.superscript(bufferSymbol, Math("+"))
        page.worked([bufferNext, mu + .times + bufferSymbol + .plus + g,
                     Math.number(momentum) + .times + Math.operand(buffer.before) + .plus + Math.operand(gValue),
                     Math.number(buffer.after)], .update)
        let moved = nesterov ? Math.parenthesized(g + .plus + mu + .times + bufferNext) : bufferNext
        let movedValue = nesterov
            ? Math.parenthesized(Math.operand(gValue) + .plus + Math.number(momentum) + .times + Math.operand(buffer.after))
            : Math.operand(buffer.after)
        page.worked([next, symbol + .minus + eta + .times + moved,
                     Math.number(step.before) + .minus + rate + .times + movedValue, Math.number(step.after)], .update)
    }

    // MARK: Adam

    /// The rule, and the step's bias corrections 1 - beta1^t and 1 - beta2^t.
    private mutating func adamRule(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double,
                                   decoupled: Bool = false) -> (Double, Double) {
        let t = trace.step
        let beta1Symbol = Math(latex: "\\beta_1", text: "beta1"), beta2Symbol = Math(latex: "\\beta_2", text: "beta2")
        let epsilonSymbol = Math(latex: "\\epsilon", text: "eps")
        var settings: [Explanation.Inline] = [
            .text(decoupled ? "The optimizer is AdamW as torch.optim.AdamW does it: learning rate "
                            : "The optimizer is Adam as torch.optim.Adam does it: learning rate "), .math(eta + Math(" = ") + rate),
            .text(", "), .math(beta1Symbol + Math(" = ") + Math.number(beta1)),
            .text(", "), .math(beta2Symbol + Math(" = ") + Math.number(beta2)),
            .text(", "), .math(epsilonSymbol + Math(" = ") + Math.number(epsilon)),
        ]
        if weightDecay != 0 {
            settings += [.text(decoupled ? ", decoupled weight decay " : ", weight decay "), .math(lambda + Math(" = ") + Math.number(weightDecay))]
        }
        page.paragraph(settings + [.text(". For each parameter p, with its first moment m and second moment v (both 0 before the first step, carried over from step to step) and t = \(t), the number of this update:")])
        if decoupled {
            // torch.optim.AdamW: param.mul_(1 - lr * weight_decay) before the Adam step.
            page.paragraph(.text("The weight decay shrinks the parameter first, apart from the gradient; the Adam step then starts from the shrunk value (written p below):"))
            page.equation(Math.chain([Math("p"), Math("p") + .times + Math.parenthesized(Math("1") + .minus + eta + .times + lambda)]))
        } else if weightDecay != 0 {
            page.equation(Math.chain([Math("g"), partialOf(Math("p")) + .plus + lambda + .times + Math("p")]))
        }
        let g = weightDecay != 0 && !decoupled ? Math("g") : partialOf(Math("p"))
        page.equation(Math.chain([Math.superscript(Math("m"), Math("+")),
                                  beta1Symbol + .times + Math("m") + .plus + Math(latex: "(1 - \\beta_1)", text: "(1 - beta1)") + .times + g]))
        page.equation(Math.chain([Math.superscript(Math("v"), Math("+")),
                                  beta2Symbol + .times + Math("v") + .plus + Math(latex: "(1 - \\beta_2)", text: "(1 - beta2)") + .times
                                    + Math(latex: "\\left(\(g.latex)\\right)^{2}", text: "(\(g.text))^2")]))
        page.equation(Math.chain([Math.superscript(Math("p"), Math("+")),
                                  Math("p") + .minus + eta + .times + adamStep(Math.superscript(Math("m"), Math("+")),
                                                                                 Math.superscript(Math("v"), Math("+")))]))
        // nnrun's own integer power, as the optimizer computes it (Docs/math.md), so the page's
        // corrections are the run's to the bit and depend on no C library.
        let correction1 = 1 - nn_power_value(beta1, Int64(t)), correction2 = 1 - nn_power_value(beta2, Int64(t))
        page.paragraph(.text("The bias corrections of step \(t) undo the moments' start at 0:"))
        page.worked([Math(latex: "1 - \\beta_1^{t}", text: "1 - beta1^t"),
                     Math("1") + .minus + Math.power(beta1, "\(t)"), Math.number(correction1)], .update)
        page.worked([Math(latex: "1 - \\beta_2^{t}", text: "1 - beta2^t"),
                     Math("1") + .minus + Math.power(beta2, "\(t)"), Math.number(correction2)], .update)
        page.note(.text("nnrun evaluates the last line in torch's order, "),
                  .math(Math(latex: "p - \\frac{\\eta}{1 - \\beta_1^{t}} \\cdot \\frac{m^{+}}{\\sqrt{v^{+}} / \\sqrt{1 - \\beta_2^{t}} + \\epsilon}",
                             text: "p - (eta / (1 - beta1^t)) * m+ / (sqrt(v+) / sqrt(1 - beta2^t) + eps)")),
                  .text(", the same value up to the last digit or so; the numbers below are rounded to 9 decimals."))
        return (correction1, correction2)
    }

    /// `(m / c1) / (sqrt(v / c2) + eps)` in symbols.
    private func adamStep(_ m: Math, _ v: Math) -> Math {
        Math.fraction(m + Math(latex: " / (1 - \\beta_1^{t})", text: " / (1 - beta1^t)"),
                      Math(latex: "\\sqrt{\(v.latex) / (1 - \\beta_2^{t})} + \\epsilon", text: "sqrt(\(v.text) / (1 - beta2^t)) + eps"))
    }

    private mutating func adamUpdate(_ step: ParameterStep, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double,
                                     corrections: (Double, Double), decoupled: Bool = false) {
        guard let m = step.first, let v = step.second else { return }
        let symbol = step.symbol
        let (g, gValue) = decoupled ? (partialOf(step.symbol), step.gradient) : decayedGradient(step, weightDecay: weightDecay)
        var before = step.before
        if decoupled && weightDecay != 0 {
            let factor = 1 - plan.learningRate(update: trace.step) * weightDecay
            before = step.before * factor
            page.worked([Math.superscript(symbol, Math(latex: "\\prime", text: "'")), symbol + .times + Math.parenthesized(Math("1") + .minus + eta + .times + lambda),
                         Math.operand(step.before) + .times + Math.number(factor), Math.number(before)], .update)
        }
        let mSymbol = Math(latex: "m_{\(symbol.latex)}", text: "m_\(symbol.text)")
        let vSymbol = Math(latex: "v_{\(symbol.latex)}", text: "v_\(symbol.text)")
        let mNext = Math.superscript(mSymbol, Math("+")), vNext = Math.superscript(vSymbol, Math("+"))
        page.worked([mNext, Math(latex: "\\beta_1", text: "beta1") + .times + mSymbol + .plus
                       + Math(latex: "(1 - \\beta_1)", text: "(1 - beta1)") + .times + g,
                     Math.number(beta1) + .times + Math.operand(m.before) + .plus + Math.number(1 - beta1) + .times
                       + Math.operand(gValue),
                     Math.number(m.after)], .update)
        page.worked([vNext, Math(latex: "\\beta_2", text: "beta2") + .times + vSymbol + .plus
                       + Math(latex: "(1 - \\beta_2)", text: "(1 - beta2)") + .times
                       + Math(latex: "\\left(\(g.latex)\\right)^{2}", text: "(\(g.text))^2"),
                     Math.number(beta2) + .times + Math.operand(v.before) + .plus + Math.number(1 - beta2) + .times
                       + Math.power(gValue, "2"),
                     Math.number(v.after)], .update)
        let numbers = Math.fraction(Math.operand(m.after) + Math(" / ") + Math.number(corrections.0),
                                    Math(latex: "\\sqrt{\(Math.number(v.after).latex) / \(Math.number(corrections.1).latex)} + \(Math.number(epsilon).latex)",
                                         text: "sqrt(\(Math.number(v.after).text) / \(Math.number(corrections.1).text)) + \(Math.number(epsilon).text)"))
        let start = decoupled && weightDecay != 0 ? Math.superscript(symbol, Math(latex: "\\prime", text: "'")) : symbol
        page.worked([Math.superscript(symbol, Math("+")), start + .minus + eta + .times + adamStep(mNext, vNext),
                     Math.number(before) + .minus + rate + .times + numbers, Math.number(step.after)], .update)
    }

    // MARK: RMSprop

    private mutating func rmspropRule(alpha: Double, epsilon: Double, momentum: Double, centered: Bool, weightDecay: Double) {
        let alphaSymbol = Math(latex: "\\alpha", text: "alpha"), epsilonSymbol = Math(latex: "\\epsilon", text: "eps")
        var settings: [Explanation.Inline] = [
            .text("The optimizer is RMSprop as torch.optim.RMSprop does it\(centered ? " (centered)" : ""): learning rate "),
            .math(eta + Math(" = ") + rate), .text(", "), .math(alphaSymbol + Math(" = ") + Math.number(alpha)),
            .text(", "), .math(epsilonSymbol + Math(" = ") + Math.number(epsilon)),
        ]
        if momentum != 0 { settings += [.text(", momentum "), .math(mu + Math(" = ") + Math.number(momentum))] }
        if weightDecay != 0 { settings += [.text(", weight decay "), .math(lambda + Math(" = ") + Math.number(weightDecay))] }
        let memory = "its mean square v" + (centered ? ", its mean gradient a" : "") + (momentum != 0 ? ", its momentum buffer buf" : "")
        page.paragraph(settings + [.text(". For each parameter p, with \(memory) (0 before the first step, carried over from step to step):")])
        if weightDecay != 0 { page.equation(Math.chain([Math("g"), partialOf(Math("p")) + .plus + lambda + .times + Math("p")])) }
        let g = weightDecay != 0 ? Math("g") : partialOf(Math("p"))
        let gSquared = Math(latex: "\\left(\(g.latex)\\right)^{2}", text: "(\(g.text))^2")
        let oneMinusAlpha = Math(latex: "(1 - \\alpha)", text: "(1 - alpha)")
        page.equation(Math.chain([Math.superscript(Math("v"), Math("+")), alphaSymbol + .times + Math("v") + .plus + oneMinusAlpha + .times + gSquared]))
        let d = Math("d")
        if centered {
            page.equation(Math.chain([Math.superscript(Math("a"), Math("+")), alphaSymbol + .times + Math("a") + .plus + oneMinusAlpha + .times + g]))
            page.equation(Math.chain([d, Math(latex: "\\sqrt{v^{+} - \\left(a^{+}\\right)^{2}}", text: "sqrt(v+ - (a+)^2)") + .plus + epsilonSymbol]))
        } else {
            page.equation(Math.chain([d, Math(latex: "\\sqrt{v^{+}}", text: "sqrt(v+)") + .plus + epsilonSymbol]))
        }
        let direction = Math.fraction(g, d)
        if momentum != 0 {
            let buffer = Math(latex: "\\mathrm{buf}", text: "buf")
            page.equation(Math.chain([Math.superscript(buffer, Math("+")), mu + .times + buffer + .plus + direction]))
            page.equation(Math.chain([Math.superscript(Math("p"), Math("+")), Math("p") + .minus + eta + .times + Math.superscript(buffer, Math("+"))]))
        } else {
            page.equation(Math.chain([Math.superscript(Math("p"), Math("+")), Math("p") + .minus + eta + .times + direction]))
        }
        page.note(.text("As in torch, epsilon is added outside the square root; each operation is rounded in this order (Sources/CKernels/include/CKernels.h, nn_rmsprop_update)."))
    }

    private mutating func rmspropUpdate(_ step: ParameterStep, alpha: Double, epsilon: Double, momentum: Double, weightDecay: Double) {
        guard let v = step.second else { return }
        let symbol = step.symbol
        let (g, gValue) = decayedGradient(step, weightDecay: weightDecay)
        let alphaSymbol = Math(latex: "\\alpha", text: "alpha")
        let oneMinusAlpha = Math(latex: "(1 - \\alpha)", text: "(1 - alpha)")
        let vSymbol = Math(latex: "v_{\(symbol.latex)}", text: "v_\(symbol.text)"), vNext = Math.superscript(vSymbol, Math("+"))
        page.worked([vNext, alphaSymbol + .times + vSymbol + .plus + oneMinusAlpha + .times
                       + Math(latex: "\\left(\(g.latex)\\right)^{2}", text: "(\(g.text))^2"),
                     Math.number(alpha) + .times + Math.operand(v.before) + .plus + Math.number(1 - alpha) + .times + Math.power(gValue, "2"),
                     Math.number(v.after)], .update)
        let dSymbol = Math(latex: "d_{\(symbol.latex)}", text: "d_\(symbol.text)")
        let denominator: Double
        if let average = step.third {
            let aSymbol = Math(latex: "a_{\(symbol.latex)}", text: "a_\(symbol.text)"), aNext = Math.superscript(aSymbol, Math("+"))
            page.worked([aNext, alphaSymbol + .times + aSymbol + .plus + oneMinusAlpha + .times + g,
                         Math.number(alpha) + .times + Math.operand(average.before) + .plus + Math.number(1 - alpha) + .times + Math.operand(gValue),
                         Math.number(average.after)], .update)
            denominator = (v.after - average.after * average.after).squareRoot() + epsilon
            page.worked([dSymbol, Math(latex: "\\sqrt{\(vNext.latex) - \\left(\(aNext.latex)\\right)^{2}} + \\epsilon", text: "sqrt(\(vNext.text) - (\(aNext.text))^2) + eps"),
                         Math(latex: "\\sqrt{\(Math.number(v.after).latex) - \(Math.power(average.after, "2").latex)} + \(Math.number(epsilon).latex)",
                              text: "sqrt(\(Math.number(v.after).text) - \(Math.power(average.after, "2").text)) + \(Math.number(epsilon).text)"),
                         Math.number(denominator)], .update)
        } else {
            denominator = v.after.squareRoot() + epsilon
            page.worked([dSymbol, Math(latex: "\\sqrt{\(vNext.latex)} + \\epsilon", text: "sqrt(\(vNext.text)) + eps"),
                         Math(latex: "\\sqrt{\(Math.number(v.after).latex)} + \(Math.number(epsilon).latex)",
                              text: "sqrt(\(Math.number(v.after).text)) + \(Math.number(epsilon).text)"),
                         Math.number(denominator)], .update)
        }
        let next = Math.superscript(symbol, Math("+"))
        if momentum != 0, let buffer = step.first {
            let bufferSymbol = Math(latex: "\\mathrm{buf}_{\(symbol.latex)}", text: "buf_\(symbol.text)")
            let bufferNext = Math.superscript(bufferSymbol, Math("+"))
            page.worked([bufferNext, mu + .times + bufferSymbol + .plus + Math.fraction(g, dSymbol),
                         Math.number(momentum) + .times + Math.operand(buffer.before) + .plus
                           + Math.fraction(Math.number(gValue), Math.number(denominator)),
                         Math.number(buffer.after)], .update)
            page.worked([next, symbol + .minus + eta + .times + bufferNext,
                         Math.number(step.before) + .minus + rate + .times + Math.operand(buffer.after), Math.number(step.after)], .update)
        } else {
            page.worked([next, symbol + .minus + eta + .times + Math.fraction(g, dSymbol),
                         Math.number(step.before) + .minus + rate + .times + Math.fraction(Math.number(gValue), Math.number(denominator)),
                         Math.number(step.after)], .update)
        }
    }

    // MARK: Shared pieces

    private var mu: Math { Math(latex: "\\mu", text: "mu") }
    private var lambda: Math { Math(latex: "\\lambda", text: "lambda") }

    private func partialOf(_ parameter: Math) -> Math { Math.partial(Symbols.total, parameter) }

    /// The gradient the optimizer steps with, g = dE/dp + lambda p, written out when
    /// there is weight decay; else dE/dp itself.
    private mutating func decayedGradient(_ step: ParameterStep, weightDecay: Double) -> (Math, Double) {
        let partial = partialOf(step.symbol)
        guard weightDecay != 0 else { return (partial, step.gradient) }
        let g = Math(latex: "g_{\(step.symbol.latex)}", text: "g_\(step.symbol.text)")
        let value = step.gradient + weightDecay * step.before
        page.worked([g, partial + .plus + lambda + .times + step.symbol,
                     Math.operand(step.gradient) + .plus + Math.number(weightDecay) + .times + Math.operand(step.before),
                     Math.number(value)], .update)
        return (g, value)
    }

    /// The parameters of layers in matrix form: before, gradient, the optimizer's memory
    /// after the step, and after.
    private mutating func parameterTable(_ steps: [ParameterStep]) {
        guard !steps.isEmpty else { return }
        var header = ["parameter", "before", "gradient"]
        let adam: Bool
        switch plan.training.optimizer {
        case .adam, .adamw: adam = true
        case .sgd, .rmsprop: adam = false
        }
        if steps[0].first != nil { header.append(adam ? "m after" : "momentum buffer after") }
        if steps[0].second != nil { header.append(adam ? "v after" : "mean square after") }
        if steps[0].third != nil { header.append("mean gradient after") }
        header.append("after")
        let rows: [[Explanation.Inline]] = steps.prefix(Self.tableRows).map { step in
            // A parameter of a layer in matrix form is named by its place in the spec, as prose.
            [.text(step.symbol.text), .math(Math.number(step.before)), .math(Math.number(step.gradient))]
                + [step.first?.after, step.second?.after, step.third?.after].compactMap { $0.map { .math(Math.number($0)) } }
                + [.math(Math.number(step.after))]
        }
        page.paragraph(.text("The layers in matrix form, parameter by parameter:"))
        page.table(header, rows)
        if steps.count > Self.tableRows {
            page.paragraph(.text("The first \(Self.tableRows) of their \(steps.count) parameters are shown; the results file's trace has every one."))
        }
    }

    // MARK: After the update

    mutating func after() {
        page.heading(2, "After the update")
        let count = plan.sampleCount
        let before = input.trainingLossBefore, after = input.trainingLossAfter
        let over = count == 1 ? "on the training set's one sample" : "over all \(count) training samples"
        page.paragraph(.text("The training-set loss, the mean error \(over), with the parameters before this step and after its update:"))
        let trainingLoss = Math(latex: "E_{train}", text: "E_train")
        page.equation(Math(latex: "\(trainingLoss.latex): \(Math.number(before).latex) \\rightarrow \(Math.number(after).latex)",
                           text: "\(trainingLoss.text): \(Math.number(before).text) -> \(Math.number(after).text)")
                      + Math(latex: " \\quad (\(Math.number(after - before).latex))", text: "   (change \(Math.number(after - before).text))"))
        if batchSize == count {
            page.paragraph(.text("This step's batch is the whole training set, so the value before the step is "),
                           .math(Symbols.total), .text(" above."))
        } else {
            page.paragraph(.text("This step's loss "), .math(Math.chain([Symbols.total, Math.number(trace.loss)])),
                           .text(" above is the loss on this step's \(batchSize == 1 ? "one sample" : "\(batchSize) samples") only; it is not comparable with the training-set loss."))
        }
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
