import ArgumentParser
import Foundation
import Pipeline

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

    @OptionGroup var overrides: Overrides

    @OptionGroup var quiet: Quiet

    @Flag(help: "Exit 1 when any run's expect: check fails or its training does not complete (as 'nnrun check' does).")
    var check = false

    @OptionGroup var memory: MemoryLimit

    func validate() throws {
        if jobs < 1 { throw ValidationError("-j must be at least 1") }
    }

    func run() throws {
        Interrupts.install()
        let expansion = try SweepExpansion(path: spec, overrides: overrides.list)
        if !expansion.warnings.isEmpty { Terminal.error(expansion.warnings) }
        let (index, count) = try Shard.resolve(shard, count: shardCount, environment: ProcessInfo.processInfo.environment)
        let selected = expansion.runs.filter { $0.index % count == index }
        let folder = output ?? URL(fileURLWithPath: spec).deletingPathExtension().lastPathComponent + ".sweep"
        var progress = Progress(enabled: !quiet.isOn, total: selected.count)
        let outcome = SweepRunner.run(selected, of: expansion, into: folder, jobs: jobs, memoryLimit: memory.bytes,
                                      stopRequested: { Interrupts.requested }) { done in
            progress.update(done: done)
        }
        progress.finish()
        for failure in outcome.failures { CommandFailure(failure).report() }
        let rows = outcome.rows
        let summary = SweepSummary(spec: spec, specSHA256: expansion.sha256, axes: expansion.sweep.axes.map(\.name),
                                   totalRuns: expansion.runs.count, shard: count > 1 ? (index, count) : nil, rows: rows)
        if count > 1 {
            try AtomicFile.write(summary.json.serialized(), to: folder + "/shard-\(index)-of-\(count).json")
        } else {
            try AtomicFile.write(summary.json.serialized(), to: folder + "/summary.json")
            try AtomicFile.write(summary.csv, to: folder + "/summary.csv")
        }
        quiet.chatter(summary.table)
        if quiet.isOn {
            // The table would have shown them: the runs that did not complete.
            for row in rows where row.status != "completed" { Terminal.error("\(spec): run \(row.index) (\(row.id)): \(row.status)") }
        }
        SweepVerdict.reportFailedChecks(summary, folder: folder, check: check, quiet: quiet)
        if Interrupts.requested { throw CommandFailure.interrupted }
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
        let merge = try SweepMerge(folders: folders)
        try merge.write(to: output ?? folders[0])
        quiet.chatter("merged \(merge.parts.count) shard summaries of \(merge.merged.spec): \(merge.merged.rows.count) runs")
        quiet.chatter(merge.merged.table)
        SweepVerdict.reportFailedChecks(merge.merged, folder: output ?? folders[0], check: check, quiet: quiet)
        if check { try SweepVerdict.judge(merge.merged, quiet: quiet) }
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
        throw CommandFailure(.failed)
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
