import ArgumentParser
import Checks
import Pipeline
import Planning

/// `nnrun gradcheck SPEC`: the runner's gradients against finite differences.
struct GradcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradcheck",
        abstract: "Compare the gradients of a step with central finite differences of the loss; exit 1 above the tolerance.")

    @Argument(help: "The spec file.", completion: .specFile)
    var spec: String

    @Option(help: "The step whose gradients are checked.")
    var step = 1

    @Option(help: "The finite-difference step h.")
    var epsilon = 1e-6

    @Option(help: "rtol: a gradient passes when |analytic - numeric| <= atol + rtol |numeric|; atol follows from h and the loss (Docs/robustness.md).")
    var tolerance = 1e-6

    @Option(help: "Check at most this many parameters per layer, evenly spaced.")
    var perLayer = 200

    @OptionGroup var overrides: Overrides

    @OptionGroup var memory: MemoryLimit

    func validate() throws {
        guard step >= 1 else { throw ValidationError("--step counts updates from 1; got \(step)") }
        guard epsilon > 0, tolerance >= 0, perLayer >= 1 else {
            throw ValidationError("--epsilon must be positive, --tolerance 0 or more, --per-layer at least 1")
        }
    }

    func run() throws {
        let validated = try SpecCompilation.validSpec(at: spec, overrides: overrides)
        guard step <= validated.training.steps else {
            throw ValidationError("--step \(step) is beyond the spec's \(validated.training.steps) steps")
        }
        try Planner.estimate(validated).check(limit: memory.bytes, spec: spec)
        guard let report = GradientCheck.run(validated, step: step, epsilon: epsilon, relativeTolerance: tolerance,
                                             perLayer: perLayer) else {
            throw CommandFailure(.diverged, "error: training diverged before step \(step)")
        }
        Terminal.out("gradient check of \(spec), step \(step): \(report.entries.count) parameters, h = \(epsilon)")
        Terminal.out("  passes when |analytic - numeric| <= atol + rtol |numeric|, rtol = \(tolerance), "
                     + "atol = \(GradientCheck.noiseFactor) eps S / h = \(report.absoluteTolerance) (loss scale S = \(report.lossScale))")
        for worst in report.worstPerLayer {
            let verdict = worst.passed ? "ok  " : "FAIL"
            Terminal.out("  \(verdict) \(worst.layer): worst at \(worst.parameter): |analytic - numeric| = \(worst.difference), "
                         + "allowed \(worst.allowed) (analytic \(worst.analytic), numeric \(worst.numeric))")
        }
        let failures = report.failures
        for failure in failures.prefix(10) {
            Terminal.out("  above tolerance: \(failure.layer).\(failure.parameter): analytic \(failure.analytic), numeric \(failure.numeric), "
                         + "|analytic - numeric| = \(failure.difference), allowed \(failure.allowed)")
        }
        Terminal.out("\(report.entries.count - failures.count) passed, \(failures.count) failed")
        if !failures.isEmpty { throw CommandFailure(.failed) }
    }
}
