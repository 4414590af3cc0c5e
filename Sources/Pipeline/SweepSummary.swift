import Foundation
import Results
import Sweeps

/// The summary of a sweep (or of one shard): one row per run, as `summary.json` (format
/// `nnrun.sweep/1`), `summary.csv` and the table printed sorted by final loss.
public struct SweepSummary: Sendable {
    /// A run's `expect:` checks: how many passed, and the line of each that failed.
    public struct Checks: Sendable {
        public var passed: Int
        /// `FAIL RUN.yaml:32: loss at 1 = ... (expected ...)`, the spec file named relative
        /// to the summary's folder.
        public var failures: [String]

        public var failed: Int { failures.count }
        public var total: Int { passed + failed }

        /// The table's cell: `2 passed`, or `1 of 2 failed`.
        public var cell: String { failed == 0 ? "\(passed) passed" : "\(failed) of \(total) failed" }
    }

    public struct Row: Sendable {
        public var index: Int
        public var id: String
        /// The run's value on each axis, as written.
        public var values: [Sweep.Choice]
        /// completed, diverged, interrupted, failed (the run's spec could not run), or not run.
        public var status: String
        public var steps: Int
        public var finalLoss: Double?
        public var accuracy: Double?
        /// nil when the run did not run (its status is failed or not run).
        public var checks: Checks?
        /// The run's spec and results files, relative to the summary's folder.
        public var spec: String
        public var results: String

        /// Whether the run wrote its results file: it trained, to the end or not.
        public var wroteResults: Bool { ["completed", "diverged", "interrupted"].contains(status) }

        /// Whether the run ran to its end: not stopped by a signal, nor skipped after one.
        public var finished: Bool { status != "interrupted" && status != "not run (interrupted)" }

        /// Training completed and every check passed: what `sweep --check` asks of each run.
        public var succeeded: Bool { status == "completed" && checks?.failed ?? 0 == 0 }
    }

    public var spec: String
    public var specSHA256: String
    public var axes: [String]
    public var totalRuns: Int
    public var shard: (index: Int, count: Int)?
    public var rows: [Row]

    public static let format = "nnrun.sweep/1"

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("format", .string(Self.format)),
            ("spec", .object([("path", .string(spec)), ("sha256", .string(specSHA256))])),
            ("axes", .array(axes.map(JSONValue.string))),
            ("total_runs", .integer(totalRuns)),
        ]
        if let shard { members.append(("shard", .object([("index", .integer(shard.index)), ("count", .integer(shard.count))]))) }
        members.append(("runs", .array(rows.sorted { $0.index < $1.index }.map { row in
            var fields: [(String, JSONValue)] = [
                ("index", .integer(row.index)),
                ("id", .string(row.id)),
                ("values", .object(row.values.map { ($0.axis, .string($0.value)) })),
                ("status", .string(row.status)),
                ("steps", .integer(row.steps)),
                ("final_loss", row.finalLoss.map(JSONValue.number) ?? .null),
            ]
            if let accuracy = row.accuracy { fields.append(("accuracy", .number(accuracy))) }
            fields.append(("checks", row.checks.map { checks in
                .object([("passed", .integer(checks.passed)), ("failed", .integer(checks.failed)),
                         ("failures", .array(checks.failures.map(JSONValue.string)))])
            } ?? .null))
            fields.append(("spec", .string(row.spec)))
            fields.append(("results", .string(row.results)))
            return .object(fields)
        })))
        return .object(members)
    }

    /// RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled.
    public var csv: String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let hasAccuracy = rows.contains { $0.accuracy != nil }
        var lines = [(["index", "id"] + axes + ["status", "steps", "final_loss"] + (hasAccuracy ? ["accuracy"] : [])
                      + (hasChecks ? ["checks_passed", "checks_failed"] : []))
            .map(field).joined(separator: ",")]
        for row in rows.sorted(by: { $0.index < $1.index }) {
            let values = axes.map { axis in row.values.first { $0.axis == axis }?.value ?? "" }
            let cells = [String(row.index), row.id] + values + [row.status, String(row.steps), row.finalLoss.map { "\($0)" } ?? ""]
                + (hasAccuracy ? [row.accuracy.map { "\($0)" } ?? ""] : [])
                + (hasChecks ? [row.checks.map { String($0.passed) } ?? "", row.checks.map { String($0.failed) } ?? ""] : [])
            lines.append(cells.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Whether any run has `expect:` checks: the table and the CSV show them only then.
    public var hasChecks: Bool { rows.contains { $0.checks?.total ?? 0 > 0 } }

    /// The rows whose training did not complete or whose checks failed, in index order.
    public var unsuccessful: [Row] { rows.filter { !$0.succeeded }.sorted { $0.index < $1.index } }

    /// Rows sorted by final loss (runs without one last), aligned.
    public var table: String {
        let sorted = rows.sorted { a, b in
            switch (a.finalLoss, b.finalLoss) {
            case (let x?, let y?) where x.isFinite && y.isFinite: return x < y || (x == y && a.index < b.index)
            case (let x?, _) where x.isFinite: return true
            case (_, let y?) where y.isFinite: return false
            default: return a.index < b.index
            }
        }
        let hasAccuracy = rows.contains { $0.accuracy != nil }
        let hasChecks = hasChecks
        var cells = [["run"] + axes + ["final loss"] + (hasAccuracy ? ["accuracy"] : []) + ["status", "steps"] + (hasChecks ? ["checks"] : [])]
        for row in sorted {
            var line: [String] = [String(row.index)]
            for axis in axes { line.append(row.values.first { $0.axis == axis }?.value ?? "") }
            line.append(row.finalLoss.map { "\($0)" } ?? "-")
            if hasAccuracy { line.append(row.accuracy.map { "\($0)" } ?? "-") }
            line.append(row.status)
            line.append(String(row.steps))
            if hasChecks { line.append(row.checks?.cell ?? "-") }
            cells.append(line)
        }
        let widths = cells[0].indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        return cells.map { row in
            var line = row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    public init(spec: String, specSHA256: String, axes: [String], totalRuns: Int, shard: (Int, Int)?, rows: [Row]) {
        self.spec = spec
        self.specSHA256 = specSHA256
        self.axes = axes
        self.totalRuns = totalRuns
        self.shard = shard.map { (index: $0.0, count: $0.1) }
        self.rows = rows
    }

    /// Reads a summary back (for merging shards).
    public init?(json: JSONValue) {
        guard case .string(Self.format)? = json["format"], case .object? = json["spec"],
              case .string(let path)? = json["spec"]?["path"], case .string(let sha)? = json["spec"]?["sha256"],
              case .array(let axes)? = json["axes"], case .integer(let total)? = json["total_runs"],
              case .array(let runs)? = json["runs"] else { return nil }
        var rows: [Row] = []
        for run in runs {
            guard case .integer(let index)? = run["index"], case .string(let id)? = run["id"],
                  case .object(let values)? = run["values"], case .string(let status)? = run["status"],
                  case .integer(let steps)? = run["steps"], case .string(let results)? = run["results"] else { return nil }
            var loss: Double?
            switch run["final_loss"] {
            case .number(let value)?: loss = value
            case .integer(let value)?: loss = Double(value)
            default: loss = nil
            }
            var accuracy: Double?
            if case .number(let value)? = run["accuracy"] { accuracy = value }
            if case .integer(let value)? = run["accuracy"] { accuracy = Double(value) }
            var checks: Checks?
            if case .integer(let passed)? = run["checks"]?["passed"], case .array(let failures)? = run["checks"]?["failures"] {
                checks = Checks(passed: passed, failures: failures.compactMap { if case .string(let line) = $0 { return line } else { return nil } })
            }
            let choices = values.map { key, value -> Sweep.Choice in
                if case .string(let text) = value { return Sweep.Choice(axis: key, value: text) }
                return Sweep.Choice(axis: key, value: "")
            }
            guard case .string(let spec)? = run["spec"] else { return nil }
            rows.append(Row(index: index, id: id, values: choices, status: status, steps: steps, finalLoss: loss,
                            accuracy: accuracy, checks: checks, spec: spec, results: results))
        }
        var shard: (Int, Int)?
        if case .integer(let index)? = json["shard"]?["index"], case .integer(let count)? = json["shard"]?["count"] {
            shard = (index, count)
        }
        self.init(spec: path, specSHA256: sha, axes: axes.compactMap { if case .string(let s) = $0 { return s } else { return nil } },
                  totalRuns: total, shard: shard, rows: rows)
    }

    public struct MergeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// One summary from shard summaries of the same sweep; every run exactly once.
    public static func merge(_ parts: [SweepSummary]) throws -> SweepSummary {
        guard let first = parts.first else { throw MergeError(description: "nothing to merge") }
        for part in parts where part.specSHA256 != first.specSHA256 || part.totalRuns != first.totalRuns {
            throw MergeError(description: "the shards come from different sweeps (\(first.spec) and \(part.spec), or different versions of it)")
        }
        var byIndex: [Int: Row] = [:]
        var duplicates: [Int] = []
        for row in parts.flatMap(\.rows) {
            if byIndex[row.index] != nil { duplicates.append(row.index) }
            byIndex[row.index] = row
        }
        let missing = (0..<first.totalRuns).filter { byIndex[$0] == nil }
        var problems: [String] = []
        if !missing.isEmpty {
            problems.append("\(missing.count) of \(first.totalRuns) runs are missing (runs \(missing.prefix(20).map(String.init).joined(separator: ", "))\(missing.count > 20 ? ", ..." : "")); a shard did not finish or was not given")
        }
        // A shard stopped by a signal (Slurm's scancel or preemption, a pod evicted) wrote
        // its summary with these rows: their results are not the sweep's until it is run again.
        let unfinished = byIndex.values.filter { !$0.finished }.map(\.index).sorted()
        if !unfinished.isEmpty {
            problems.append("\(unfinished.count) of \(first.totalRuns) runs did not finish (runs \(unfinished.prefix(20).map(String.init).joined(separator: ", "))\(unfinished.count > 20 ? ", ..." : "")): their shard was interrupted; run it again with the same command, which trains only those runs")
        }
        if !duplicates.isEmpty {
            problems.append("runs \(Array(Set(duplicates)).sorted().prefix(20).map(String.init).joined(separator: ", ")) appear in more than one shard")
        }
        if !problems.isEmpty { throw MergeError(description: problems.joined(separator: "; ")) }
        return SweepSummary(spec: first.spec, specSHA256: first.specSHA256, axes: first.axes, totalRuns: first.totalRuns,
                            shard: nil, rows: byIndex.values.sorted { $0.index < $1.index })
    }
}
