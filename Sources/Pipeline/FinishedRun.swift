import Checks
import Foundation
import Results
import Running
import Spec
import Sweeps

/// A run of a sweep that an earlier, interrupted sweep (or shard) already finished: its
/// results file, read back into the run's summary row, so that a rerun trains only the
/// runs that are missing or incomplete.
///
/// Results files are written atomically, so one that exists is whole. It is the run's
/// finished result when it is what training the run now would write: the current format
/// and math version, the run's spec path and the SHA-256 of the run's spec text, a status
/// of `completed` or `diverged` (an `interrupted` run is run again), and checks that read
/// back as the spec's own, in order and at their lines. A check whose recorded value is
/// not finite (written as `null`) cannot be judged again, so a diverged run holding one
/// runs again; so does anything else that does not match. (Docs/scaling.md, "Interrupted
/// sweeps")
enum FinishedRun {
    /// The row the run would get if trained now, or nil when it must be trained.
    static func row(_ run: Sweep.Run, specPath: String, resultsPath: String, base: SweepSummary.Row) -> SweepSummary.Row? {
        guard FileManager.default.fileExists(atPath: resultsPath),
              let bytes = try? InputFile.read(resultsPath, as: .resultsFile),
              let document = try? JSONValue.parse(Data(bytes)),
              case .string(ResultsFile.format)? = document["format"],
              case .integer(ResultsFile.mathVersion)? = document["math_version"],
              case .string(specPath)? = document["spec"]?["path"],
              case .string(FileDigest.sha256(Array(run.text.utf8)))? = document["spec"]?["sha256"],
              case .string(let statusText)? = document["status"],
              let status = TrainingResult.Status(rawValue: statusText), status != .interrupted,
              case .integer(let steps)? = document["steps"],
              let loss = number(document["final"]?["loss"]),
              case .array(let recorded)? = document["checks"] else { return nil }
        let accuracy = document["final"]?["accuracy"]
        if accuracy != nil && number(accuracy) == nil { return nil }
        // The expectations, from the run's own text: the same lines its checks name.
        let compilation = SpecCompilation(path: specPath, bytes: Array(run.text.utf8))
        guard let spec = try? compilation.validSpec(), spec.expectations.count == recorded.count else { return nil }
        var outcomes: [CheckOutcome] = []
        for (expectation, check) in zip(spec.expectations, recorded) {
            guard case .integer(expectation.location.line)? = check["line"], let actual = check["actual"] else { return nil }
            var value: ExpectedValue?
            if actual != .null {
                guard let read = expected(actual) else { return nil }
                value = read
            } else if status == .diverged {
                return nil
            }
            let outcome = Checker.judge(expectation, actual: value, status: status, steps: steps)
            guard case .bool(outcome.passed)? = check["passed"] else { return nil }
            outcomes.append(outcome)
        }
        var row = base
        row.status = status.rawValue
        row.steps = steps
        row.finalLoss = loss
        row.accuracy = number(accuracy)
        row.checks = SweepSummary.Checks(passed: outcomes.filter(\.passed).count,
                                         failures: outcomes.filter { !$0.passed }.map { $0.line(file: row.spec) })
        return row
    }

    /// A number as the results file wrote it (`1.0` may read back as an integer).
    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .number(let number)?: return number
        case .integer(let integer)?: return Double(integer)
        default: return nil
        }
    }

    /// A check's recorded value: a finite number, or lists of them.
    private static func expected(_ value: JSONValue) -> ExpectedValue? {
        if case .array(let items) = value {
            let elements = items.compactMap(expected)
            return elements.count == items.count ? .list(elements) : nil
        }
        return number(value).map(ExpectedValue.number)
    }
}
