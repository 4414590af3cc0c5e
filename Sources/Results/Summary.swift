import Running

/// The few lines `nnrun run` prints on the terminal: what was trained, every metric the
/// run records (loss; accuracy for a classification loss; validation loss and accuracy
/// with a validation set), each at step 0 and at the last step, the first outputs, the
/// checks, where the results went. Docs/cli.md shows it.
public enum Summary {
    /// The spec's `expect:` checks as the summary reports them.
    public struct Checks: Sendable {
        public var passed: Int
        /// One line per failed check (`FAIL file:line: ...`); passing checks are counted only,
        /// since `nnrun check` lists every check.
        public var failures: [String]

        public init(passed: Int, failures: [String]) {
            self.passed = passed
            self.failures = failures
        }
    }

    /// `specPath` names the spec file in the line of a divergence (`spec.yaml:9: diverged at step 812: ...`).
    public static func text(_ result: TrainingResult, specName: String, specPath: String, settings: String, checks: Checks?,
                            resultsPath: String?) -> String {
        var rows: [(label: String, text: String)] = []
        for (label, initial, final) in metrics(result) {
            rows.append((label, "\(initial.description) at step \(result.initial.step) -> \(final.description) at step \(result.final.step)"))
        }
        for (index, row) in result.final.outputs.prefix(4).enumerated() {
            rows.append(("outputs", "sample \(index): [\(row.map(\.description).joined(separator: ", "))]"))
        }
        if result.final.outputs.count > 4 {
            rows.append(("outputs", "... \(result.final.outputs.count - 4) more samples in the results file"))
        }
        if let stopping = result.stopping {
            let best = stopping.bestStep.map { "best \(stopping.monitor.rawValue) \(stopping.best ?? .nan) at step \($0)" }
                ?? "no check improved"
            let held = stopping.parametersStep == stopping.step ? "" : "; parameters of step \(stopping.parametersStep)"
            rows.append(("stopping", (stopping.stopped ? "stopped early at step \(stopping.step) (epoch \(stopping.epoch))" : "ran every step")
                + ", \(best)\(held)"))
        }
        // Labels in one column, two spaces wider than the longest ("checks" and "results" fit in the narrowest).
        let width = max(rows.map(\.label.count).max() ?? 0, "outputs".count) + 2
        func row(_ label: String, _ text: String) -> String {
            "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + text
        }
        var lines = [headline(result, specName: specName, settings: settings)]
        lines += rows.map { row($0.label, $0.text) }
        if let divergence = divergenceLine(result, specPath: specPath) { lines.append("  " + divergence) }
        if let checks {
            lines.append(row("checks", "\(checks.passed) passed, \(checks.failures.count) failed"))
            lines += checks.failures.map { "  " + $0 }
        }
        if let resultsPath { lines.append(row("results", resultsPath)) }
        return lines.joined(separator: "\n")
    }

    /// What `--quiet` still reports: a run that did not complete and the failed checks;
    /// nothing at all for a completed run whose checks pass.
    public static func problems(_ result: TrainingResult, specName: String, specPath: String, checks: Checks?) -> [String] {
        var lines: [String] = []
        if result.status != .completed {
            lines.append("\(specName): " + headlineVerb(result) + " \(result.steps) step\(result.steps == 1 ? "" : "s")")
        }
        if let divergence = divergenceLine(result, specPath: specPath) { lines.append("  " + divergence) }
        if let checks, !checks.failures.isEmpty {
            lines.append("\(specName): \(checks.failures.count) check\(checks.failures.count == 1 ? "" : "s") failed")
            lines += checks.failures.map { "  " + $0 }
        }
        return lines
    }

    /// The recorded metrics, each with its value at step 0 and at the last step: the same
    /// quantities, under the same names, as the results file's `initial` and `final`.
    static func metrics(_ result: TrainingResult) -> [(label: String, initial: Double, final: Double)] {
        let (initial, final) = (result.initial, result.final)
        var metrics: [(String, Double, Double)] = [("loss", initial.loss, final.loss)]
        if let first = initial.accuracy, let last = final.accuracy { metrics.append(("accuracy", first, last)) }
        if let first = initial.validationLoss, let last = final.validationLoss { metrics.append(("validation loss", first, last)) }
        if let first = initial.validationAccuracy, let last = final.validationAccuracy {
            metrics.append(("validation accuracy", first, last))
        }
        return metrics
    }

    private static func headline(_ result: TrainingResult, specName: String, settings: String) -> String {
        "\(specName): \(headlineVerb(result)) \(result.steps) step\(result.steps == 1 ? "" : "s") (\(settings))"
    }

    private static func headlineVerb(_ result: TrainingResult) -> String {
        result.status == .completed ? "trained" : "stopped (\(result.status.rawValue)) after"
    }

    /// `spec.yaml:9: diverged at step 812: weights of layer 'hidden' became NaN or infinite`: the
    /// line is the layer's in the spec; a loss that alone went bad has no line of its own.
    private static func divergenceLine(_ result: TrainingResult, specPath: String) -> String? {
        guard let divergence = result.divergence else { return nil }
        let place = divergence.location.map { "\(specPath):\($0.line)" } ?? specPath
        let what = divergence.layer.map { "\(divergence.quantity.rawValue) of layer '\($0)'" } ?? "the loss"
        return "\(place): diverged at step \(divergence.step): \(what) became NaN or infinite"
    }
}
