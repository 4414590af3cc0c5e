import Foundation
import TestSupport
import XCTest

/// The Slurm recipes (examples/slurm/*.sbatch, shown in Docs/scaling.md) submitted to a
/// real one-node Slurm started by the test: the array's four shards and the merge give what
/// an unsharded sweep gives, and a shard that never ran is reported by the merge; a compiled
/// PyTorch script under torchrun in the allocation trains as nnrun does.
final class SlurmRecipeTests: XCTestCase {
    private let sweepJob = Repository.file("examples/slurm/sweep.sbatch").path
    private let mergeJob = Repository.file("examples/slurm/merge.sbatch").path
    private let torchrunJob = Repository.file("examples/slurm/torchrun.sbatch").path

    private func cluster() throws -> OneNodeSlurm {
        let missing = OneNodeSlurm.missingPrograms
        guard missing.isEmpty else {
            throw missingTool("\(missing.joined(separator: ", ")) not found: install Slurm and munge (apt-get install slurm-wlm munge)")
        }
        return try OneNodeSlurm()
    }

    /// A folder with the sweep spec at the path the recipe is given, and an environment
    /// whose PATH finds the nnrun under test (sbatch hands its environment to the job).
    private func workspace() throws -> (URL, [String: String]) {
        let folder = try NnrunProcess.temporaryFolder()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("specs"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repository.file("specs/tutorial-sweep.yaml"),
                                         to: folder.appendingPathComponent("specs/tutorial-sweep.yaml"))
        let path = NnrunProcess.executable.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return (folder, ["PATH": path])
    }

    private func submit(_ slurm: OneNodeSlurm, _ arguments: [String], in folder: URL, _ environment: [String: String]) throws -> String {
        let output = try slurm.command(["sbatch", "--parsable"] + arguments, in: folder, environment: environment)
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
    }

    private func json(_ url: URL) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    func testTheJobArrayAndItsMergeGiveTheUnshardedSweepAndAMissingShardIsReported() throws {
        let slurm = try cluster()
        defer { slurm.stop() }
        let (folder, environment) = try workspace()
        let spec = "specs/tutorial-sweep.yaml"

        // The recipe as a user submits it: the array, then the merge once every task succeeded.
        let array = try submit(slurm, [sweepJob, spec, "sweep"], in: folder, environment)
        let merge = try submit(slurm, ["--dependency=afterok:\(array)", mergeJob, "sweep"], in: folder, environment)
        try slurm.waitForJobs([array, merge], logs: folder)
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".out") }.sorted() ?? []
        XCTAssertEqual(logs, ["nnrun-merge-\(merge).out"] + (0..<4).map { "nnrun-sweep-\(array)-\($0).out" }, "one log per task and the merge's")
        for log in logs {
            XCTAssertFalse(try String(contentsOf: folder.appendingPathComponent(log), encoding: .utf8).lowercased().contains("error"), log)
        }

        // Each shard ran the runs whose index mod 4 is its task id: every run exactly once.
        var shardRuns: [Int] = []
        for task in 0..<4 {
            let shard = try json(folder.appendingPathComponent("sweep/shard-\(task)/shard-\(task)-of-4.json"))
            let runs = try XCTUnwrap(shard["runs"] as? [[String: Any]]).compactMap { $0["index"] as? Int }
            XCTAssertEqual(runs, Array(stride(from: task, to: 6, by: 4)), "shard \(task)")
            shardRuns += runs
        }
        XCTAssertEqual(shardRuns.sorted(), Array(0..<6))

        // The merged summary is an unsharded sweep's, byte for byte.
        let unsharded = try NnrunProcess.run(["sweep", spec, "-o", "all", "--quiet"], in: folder)
        XCTAssertEqual(unsharded.status, 0, unsharded.stderr)
        for file in ["summary.json", "summary.csv"] {
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("sweep/" + file)),
                           try Data(contentsOf: folder.appendingPathComponent("all/" + file)), file)
        }
        // Each run's results file is what running its spec alone writes (from the shard's folder, as the task did).
        let merged = try XCTUnwrap(try json(folder.appendingPathComponent("sweep/summary.json"))["runs"] as? [[String: Any]])
        XCTAssertEqual(merged.compactMap { $0["index"] as? Int }, Array(0..<6))
        for row in merged {
            let index = try XCTUnwrap(row["index"] as? Int)
            let results = try XCTUnwrap(row["results"] as? String), specFile = try XCTUnwrap(row["spec"] as? String)
            let shard = "sweep/shard-\(index % 4)/"
            let alone = try NnrunProcess.run([shard + specFile, "-o", "alone.json", "--quiet"], in: folder)
            XCTAssertEqual(alone.status, 0, alone.stderr)
            let written = try Data(contentsOf: folder.appendingPathComponent(shard + results))
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("alone.json")), written, results)
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("sweep/" + results)), written, "copied by the merge")
        }

        // A task cancelled (here before it starts, deterministically): the merge names its runs and fails.
        let held = try submit(slurm, ["--hold", sweepJob, spec, "failing"], in: folder, environment)
        XCTAssertEqual(try slurm.command(["scancel", "\(held)_2"]).status, 0)
        XCTAssertEqual(try slurm.command(["scontrol", "release", held]).status, 0)
        try slurm.waitForJobs([held], logs: folder)
        let partial = try NnrunProcess.run(["sweep", "merge", "failing/shard-0", "failing/shard-1", "failing/shard-3", "-o", "failing"], in: folder)
        XCTAssertEqual(partial.status, 1)
        XCTAssertEqual(partial.stderr, "error: 1 of 6 runs are missing (runs 2); a shard did not finish or was not given\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("failing/shard-2").path))
    }

    /// specs/xor.yaml (400 steps) compiled to a PyTorch script, trained by the recipe with two processes
    /// (torchrun, gloo, CPU) inside the allocation: its results agree with nnrun's own run to
    /// rel 1e-9 (`nnrun diff --common-sections`; the expectation is PyTorch's, an independent
    /// implementation, the gradients summed over the two processes' shares of each batch).
    func testACompiledScriptTrainedByTorchrunInTheAllocationAgreesWithNnrun() throws {
        let torch = try NnrunProcess.run(["python3", "-c", "import torch, numpy"], executable: URL(fileURLWithPath: "/usr/bin/env"))
        guard torch.status == 0 else { throw missingTool("PyTorch is not installed: python3 -m pip install torch numpy") }
        let slurm = try cluster()
        defer { slurm.stop() }
        let (folder, environment) = try workspace()
        // 400 of its 2000 steps (its accuracy check already passes): two processes' gloo
        // all-reduces make a step cost about 20 ms here, 2000 steps took about 50 s in all.
        let xor = try TestSpecs.derived(from: String(contentsOf: Repository.file("specs/xor.yaml"), encoding: .utf8),
                                        setting: ["training.steps": "400"])
        try xor.write(to: folder.appendingPathComponent("specs/xor.yaml"), atomically: true, encoding: .utf8)
        let compiled = try NnrunProcess.run(["compile", "specs/xor.yaml", "--target", "pytorch", "-o", "train.py"], in: folder)
        XCTAssertEqual(compiled.status, 0, compiled.stderr)

        let job = try submit(slurm, [torchrunJob, "train.py", "xor.torch.json"], in: folder, environment)
        try slurm.waitForJobs([job], logs: folder)
        let log = try String(contentsOf: folder.appendingPathComponent("nnrun-torchrun-\(job).out"), encoding: .utf8)
        // Process 0's last line: two processes trained, each on its share of every batch.
        XCTAssertTrue(log.contains("xor: completed after 400 steps on 2 processes, loss "), log)

        let alone = try NnrunProcess.run(["specs/xor.yaml", "-o", "xor.nnrun.json", "--quiet"], in: folder)
        XCTAssertEqual(alone.status, 0, alone.stderr)
        let diff = try NnrunProcess.run(["diff", "--common-sections", "--rel", "1e-9", "xor.torch.json", "xor.nnrun.json"], in: folder)
        XCTAssertEqual(diff.status, 0, diff.stdout + diff.stderr + log)
    }
}
