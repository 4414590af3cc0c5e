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
        if Interrupts.requested { throw ExitCode(Interrupts.exitStatus) }
    }
}

/// `nnrun sweep merge DIR...`: one summary from the shards' outputs.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shard summaries in the given folders into one summary; complain about missing or duplicate runs.")

    @Argument(help: "Folders holding shard-I-of-N.json files (and the runs' results).", completion: .directory)
    var folders: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write summary.json and summary.csv (default: the first folder).", valueName: "dir"), completion: .directory)
    var output: String?

    @OptionGroup var quiet: Quiet

    func validate() throws {
        if folders.isEmpty { throw ValidationError("give the folders the shards wrote") }
    }

    func run() throws {
        var parts: [SweepSummary] = []
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
        do {
            try AtomicFile.write(merged.json.serialized(), to: folder + "/summary.json")
            try AtomicFile.write(merged.csv, to: folder + "/summary.csv")
        } catch {
            Terminal.error("error: \(error.description)")
            throw ExitStatus.cannotCreateOutput.exitCode
        }
        quiet.chatter("merged \(parts.count) shard summaries of \(first.spec): \(merged.rows.count) runs")
        quiet.chatter(merged.table)
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
