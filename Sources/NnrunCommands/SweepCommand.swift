import ArgumentParser
import Diagnostics
import Foundation
import Results
import Sweeps
import YAMLSource

/// `nnrun sweep SPEC`: every combination of the spec's `sweep:` grid, run in parallel.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every combination of a spec's sweep: grid, in parallel, and summarize (Docs/scaling.md).",
        subcommands: [SweepRunCommand.self, SweepMergeCommand.self],
        defaultSubcommand: SweepRunCommand.self)
}

struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Expand and run a sweep (the default; 'nnrun sweep SPEC' is 'nnrun sweep run SPEC').")

    @Argument(help: "The spec file with a sweep: section.", completion: .specFile)
    var spec: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Folder for the runs' specs, results and the summary.", valueName: "dir"), completion: .directory)
    var output: String?

    @Option(name: .shortAndLong, help: "Runs at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Run only the runs with index mod N = I ('I/N'), or 'auto' to read I and N from the scheduler (SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with --shard-count).", valueName: "I/N|auto"))
    var shard: String?

    @Option(help: "The number of shards, with --shard auto under Kubernetes (JOB_COMPLETION_INDEX).")
    var shardCount: Int?

    @OptionGroup var quiet: Quiet

    @Flag(help: "Exit 1 when any run's expect: check fails or its training does not complete (as 'nnrun check' does).")
    var check = false

    @OptionGroup var memory: MemoryLimit

    func validate() throws {
        if jobs < 1 { throw ValidationError("-j must be at least 1") }
    }

    func run() throws {
        Interrupts.install()
        let expansion = try SweepExpansion(path: spec)
        let (index, count) = try Shard.resolve(shard, count: shardCount, environment: ProcessInfo.processInfo.environment)
        let selected = expansion.runs.filter { $0.index % count == index }
        let folder = output ?? URL(fileURLWithPath: spec).deletingPathExtension().lastPathComponent + ".sweep"
        var progress = Progress(enabled: !quiet.isOn, total: selected.count)
        let rows = SweepRunner.run(selected, of: expansion, into: folder, jobs: jobs, memory: memory) { done in
            progress.update(done: done)
        }
        progress.finish()
        let summary = SweepSummary(spec: spec, specSHA256: expansion.sha256, axes: expansion.sweep.axes.map(\.name),
                                   totalRuns: expansion.runs.count, shard: count > 1 ? (index, count) : nil, rows: rows)
        do {
            if count > 1 {
                try AtomicFile.write(summary.json.serialized(), to: folder + "/shard-\(index)-of-\(count).json")
            } else {
                try AtomicFile.write(summary.json.serialized(), to: folder + "/summary.json")
                try AtomicFile.write(summary.csv, to: folder + "/summary.csv")
            }
        } catch {
            Terminal.error("error: \(error.description)")
            throw ExitStatus.cannotCreateOutput.exitCode
        }
        quiet.chatter(summary.table)
        if quiet.isOn {
            // The table would have shown them: the runs that did not complete.
            for row in rows where row.status != "completed" { Terminal.error("\(spec): run \(row.index) (\(row.id)): \(row.status)") }
        }
        SweepVerdict.reportFailedChecks(summary, folder: folder, check: check, quiet: quiet)
        if Interrupts.requested { throw ExitCode(Interrupts.exitStatus) }
        if check { try SweepVerdict.judge(summary, quiet: quiet) }
    }
}

/// `nnrun sweep merge DIR...`: one summary from the shards' outputs.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shard summaries in the given folders into one summary; complain about missing or duplicate runs.")

    @Argument(help: "Folders holding shard-I-of-N.json files (and the runs' results).", completion: .directory)
    var folders: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write summary.json and summary.csv, and copy the runs' specs and results (default: the first folder).", valueName: "dir"), completion: .directory)
    var output: String?

    @Flag(help: "Exit 1 when any run's expect: check failed or its training did not complete.")
    var check = false

    @OptionGroup var quiet: Quiet

    func validate() throws {
        if folders.isEmpty { throw ValidationError("give the folders the shards wrote") }
    }

    func run() throws {
        var parts: [SweepSummary] = []
        /// The folder each run's files are in.
        var source: [Int: String] = [:]
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in files.sorted() where file.hasPrefix("shard-") && file.hasSuffix(".json") {
                let path = folder + "/" + file
                guard let data = FileManager.default.contents(atPath: path),
                      let value = try? JSONValue.parse(data), let summary = SweepSummary(json: value) else {
                    Terminal.error("\(path): error: not a shard summary written by 'nnrun sweep --shard'")
                    throw ExitStatus.invalidSpec.exitCode
                }
                parts.append(summary)
                for row in summary.rows where source[row.index] == nil { source[row.index] = folder }
            }
        }
        guard let first = parts.first else {
            Terminal.error("error: no shard-I-of-N.json files in \(folders.joined(separator: ", "))")
            throw ExitStatus.noInput.exitCode
        }
        let merged: SweepSummary
        do {
            merged = try SweepSummary.merge(parts)
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
        let folder = output ?? folders[0]
        let missing = merged.rows.filter(\.wroteResults).compactMap { row -> String? in
            let path = (source[row.index] ?? "") + "/" + row.results
            return FileManager.default.fileExists(atPath: path) ? nil : path
        }
        if !missing.isEmpty {
            Terminal.error("error: \(missing.count == 1 ? "a results file" : "\(missing.count) results files") named by the shard summaries \(missing.count == 1 ? "is" : "are") missing: \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? ", ..." : "")")
            Terminal.error("  copy each shard's whole folder (its summary, specs and results) before merging")
            throw ExitStatus.noInput.exitCode
        }
        do {
            // The summary names the runs' files relative to its folder: bring them there, so
            // that the merged folder is what an unsharded sweep writes (and can be plotted).
            for row in merged.rows {
                guard let from = source[row.index] else { continue }
                for file in [row.spec, row.results] {
                    try SweepMergeCommand.copy(from + "/" + file, to: folder + "/" + file)
                }
            }
            try AtomicFile.write(merged.json.serialized(), to: folder + "/summary.json")
            try AtomicFile.write(merged.csv, to: folder + "/summary.csv")
        } catch {
            Terminal.error("error: \(error.description)")
            throw ExitStatus.cannotCreateOutput.exitCode
        }
        quiet.chatter("merged \(parts.count) shard summaries of \(first.spec): \(merged.rows.count) runs")
        quiet.chatter(merged.table)
        SweepVerdict.reportFailedChecks(merged, folder: folder, check: check, quiet: quiet)
        if check { try SweepVerdict.judge(merged, quiet: quiet) }
    }

    /// Copies a run's file into the merged folder (atomically, like every output). A file
    /// the run did not write (a run that failed before training) is skipped; a file already
    /// in place (merging into a shard's own folder) is left alone.
    static func copy(_ from: String, to destination: String) throws(AtomicFile.WriteError) {
        let a = URL(fileURLWithPath: from).standardizedFileURL.resolvingSymlinksInPath()
        let b = URL(fileURLWithPath: destination).standardizedFileURL.resolvingSymlinksInPath()
        guard a != b, let data = FileManager.default.contents(atPath: from) else { return }
        try AtomicFile.write(Array(data), to: destination)
    }
}

/// What a sweep says about its runs' checks after the table, and `--check`'s verdict.
enum SweepVerdict {
    /// One line per failed check, under the count of runs they come from.
    static func reportFailedChecks(_ summary: SweepSummary, folder: String, check: Bool, quiet: Quiet) {
        let failing = summary.rows.filter { $0.checks?.failed ?? 0 > 0 }.sorted { $0.index < $1.index }
        guard !failing.isEmpty else { return }
        let place = folder.hasSuffix("/") ? folder : folder + "/"
        quiet.problem("checks failed in \(failing.count) of \(summary.rows.count) runs (spec files in \(place)):")
        for line in failing.flatMap({ $0.checks?.failures ?? [] }) { quiet.problem("  " + line) }
        if !check { quiet.chatter("note: with --check, a failed check makes the sweep exit 1") }
    }

    /// Exit 1 unless every run completed and passed its checks.
    static func judge(_ summary: SweepSummary, quiet: Quiet) throws {
        let unsuccessful = summary.unsuccessful
        guard !unsuccessful.isEmpty else {
            quiet.chatter("sweep check: \(summary.rows.count) of \(summary.rows.count) runs completed and passed their checks")
            return
        }
        let notCompleted = unsuccessful.filter { $0.status != "completed" }.count
        quiet.problem("sweep check: \(unsuccessful.count) of \(summary.rows.count) runs failed "
                     + "(\(unsuccessful.count - notCompleted) with a failed check, \(notCompleted) not completed)")
        throw ExitCode(1)
    }
}

/// `--shard I/N` or `--shard auto`.
enum Shard {
    static func resolve(_ text: String?, count given: Int?, environment: [String: String]) throws -> (Int, Int) {
        guard let text else { return (0, 1) }
        if text == "auto" {
            if let index = environment["SLURM_ARRAY_TASK_ID"].flatMap(Int.init),
               let count = environment["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init) ?? given {
                // Slurm numbers array tasks from SLURM_ARRAY_TASK_MIN (usually 0 or 1).
                let minimum = environment["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
                return try checked(index - minimum, count)
            }
            if let index = environment["JOB_COMPLETION_INDEX"].flatMap(Int.init) {
                guard let count = given else {
                    throw ValidationError("--shard auto with JOB_COMPLETION_INDEX needs --shard-count N (the Job's completions)")
                }
                return try checked(index, count)
            }
            throw ValidationError("--shard auto found neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX in the environment")
        }
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ValidationError("--shard takes I/N (e.g. 0/4) or auto; got '\(text)'")
        }
        return try checked(index, count)
    }

    private static func checked(_ index: Int, _ count: Int) throws -> (Int, Int) {
        guard count >= 1, index >= 0, index < count else {
            throw ValidationError("shard index \(index) is outside 0..<\(count)")
        }
        return (index, count)
    }
}
