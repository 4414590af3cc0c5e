import Planning
import Running
import Spec
import Validation

/// The learning rate of the step under a schedule: the formula, then its numbers.
extension Explainer {
    mutating func scheduledRate(_ schedule: ValidatedSpec.Schedule) {
        let t = trace.step
        let lr0 = plan.training.learningRate
        let k = schedule.counter(update: t, stepsPerEpoch: plan.stepsPerEpoch)
        let rate = plan.learningRate(update: t)
        let eta = Math(latex: "\\eta", text: "eta"), eta0 = Math(latex: "\\eta_0", text: "eta0")
        let counted = schedule.unit == .epoch
            ? "k is the epoch this update belongs to, counted from 0 (\(plan.stepsPerEpoch) updates per epoch)"
            : "k is the number of updates before this one"
        page.paragraph(.text("The learning rate follows the \(schedule.name.rawValue) schedule of torch.optim.lr_scheduler, from "),
                       .math(eta0 + Math(" = ") + Math.number(lr0)), .text("; \(counted): for step \(t), k = \(k)."))
        if k < schedule.warmup {
            page.paragraph(.text("During the warm-up (k below \(schedule.warmup)) the rate rises linearly from 0:"))
            page.worked([eta, eta0 + .times + Math("k / \(schedule.warmup)"),
                         Math.number(lr0) + .times + Math("\(k) / \(schedule.warmup)"), Math.number(rate)], .update)
            return
        }
        let j = k - schedule.warmup
        if schedule.warmup > 0 {
            page.paragraph(.text("After a warm-up of \(schedule.warmup), the schedule runs on j = k - \(schedule.warmup) = \(j):"))
        }
        let jSymbol = schedule.warmup == 0 ? Math("k") : Math("j")
        switch schedule.shape {
        case .step(let stepSize, let gamma):
            let exponent = j / stepSize
            page.worked([eta, eta0 + .times + Math(latex: "\\gamma^{\\lfloor \(jSymbol.latex) / \(stepSize) \\rfloor}",
                                                   text: "gamma^floor(\(jSymbol.text) / \(stepSize))"),
                         Math.number(lr0) + .times + Math.power(gamma, "\(exponent)"), Math.number(rate)], .update)
        case .exponential(let gamma):
            page.worked([eta, eta0 + .times + Math(latex: "\\gamma^{\(jSymbol.latex)}", text: "gamma^\(jSymbol.text)"),
                         Math.number(lr0) + .times + Math.power(gamma, "\(j)"), Math.number(rate)], .update)
        case .cosine(let tMax, let etaMin):
            let etaMinSymbol = Math(latex: "\\eta_{min}", text: "eta_min")
            let cosine = Math(latex: "\\cos\\left(\\pi \\cdot \(jSymbol.latex) / \(tMax)\\right)", text: "cos(pi * \(jSymbol.text) / \(tMax))")
            let cosineNumbers = Math(latex: "\\cos\\left(\\pi \\cdot \(j) / \(tMax)\\right)", text: "cos(pi * \(j) / \(tMax))")
            page.worked([eta, etaMinSymbol + .plus + Math.parenthesized(eta0 + .minus + etaMinSymbol) + .times
                            + Math.fraction(Math("1") + .plus + cosine, Math("2")),
                         Math.number(etaMin) + .plus + Math.parenthesized(Math.number(lr0) + .minus + Math.number(etaMin)) + .times
                            + Math.fraction(Math("1") + .plus + cosineNumbers, Math("2")),
                         Math.number(rate)], .update)
            if j > tMax {
                page.note(.text("Beyond t_max the closed form keeps following the cosine, so the rate rises again (torch's CosineAnnealingLR closed form does the same)."))
            }
        }
    }
}
