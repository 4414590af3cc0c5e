import Foundation
import TestSupport
import XCTest

/// `nnrun sweep`: expansion order and ids, validation, per-run results identical to
/// running each expanded spec alone, sharding and merging.
final class SweepTests: XCTestCase {
    private let spec = Repository.file("specs/tutorial-sweep.yaml").path

    private func summary(_ folder: URL, _ name: String = "summary.json") throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func runs(_ summary: [String: Any]) throws -> [[String: Any]] {
        try XCTUnwrap(summary["runs"] as? [[String: Any]])
    }

    /// The first axis varies slowest: lr 0.1 with both orders, then 0.5, then 1.0.
    func testExpansionOrderIdsAndPerRunResultsMatchRunningAlone() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let output = try NnrunProcess.run(["sweep", spec, "-o", "out", "-j", "2"], in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        let rows = try runs(summary(folder.appendingPathComponent("out")))
        XCTAssertEqual(rows.map { $0["id"] as? String }, [
            "learning_rate=0.1,update=deferred", "learning_rate=0.1,update=immediate",
            "learning_rate=0.5,update=deferred", "learning_rate=0.5,update=immediate",
            "learning_rate=1.0,update=deferred", "learning_rate=1.0,update=immediate",
        ])
        XCTAssertEqual(rows.map { $0["status"] as? String }, Array(repeating: "completed", count: 6))
        XCTAssertEqual(output.stderr, "", "no progress line when stderr is not a terminal")
        // Each run's results file is what running its spec alone writes, byte for byte.
        for row in rows {
            let results = try XCTUnwrap(row["results"] as? String)
            let runSpec = "out/" + results.replacingOccurrences(of: ".results.json", with: ".yaml")
            let alone = try NnrunProcess.run([runSpec, "-o", "alone.json"], in: folder)
            XCTAssertEqual(alone.status, 0)
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("alone.json")),
                           try Data(contentsOf: folder.appendingPathComponent("out/" + results)), results)
        }
        // The run with learning rate 0.5, deferred, is the tutorial: after one step 0.291027774 (the errata in Docs/tutorial.md).
        let tutorial = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(
            "out/2-learning_rate=0.5,update=deferred.results.json"))) as? [String: Any])
        let history = try XCTUnwrap(tutorial["history"] as? [String: Any])
        XCTAssertEqual(Printed.rounded(try XCTUnwrap((history["loss"] as? [Double])?[1]), like: "0.291027774"), "0.291027774")
        // The table is sorted by final loss; the CSV has one row per run in index order.
        let csv = try String(contentsOf: folder.appendingPathComponent("out/summary.csv"), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("index,id,learning_rate,update,status,steps,final_loss,checks_passed,checks_failed\r\n0,\"learning_rate=0.1,update=deferred\",0.1,deferred,completed,1000,"), csv)
        let losses = output.stdout.split(separator: "\n").dropFirst().prefix(6).compactMap { line in
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first.flatMap { Double($0) }
        }
        XCTAssertEqual(losses.count, 6)
        XCTAssertEqual(losses, losses.sorted())
    }

    /// A swept spec that names its data relative to its own folder: each run's spec, written
    /// in another folder, names the same file from there, so every run trains and each run's
    /// spec run alone gives the same results, as with inline data.
    func testRelativeDataPathsResolveFromEachRunsFolder() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let specs = folder.appendingPathComponent("specs/data")
        try FileManager.default.createDirectory(at: specs, withIntermediateDirectories: true)
        try "x,y\n0,0\n1,1\n".write(to: specs.appendingPathComponent("points.csv"), atomically: true, encoding: .utf8)
        try """
            nnrun: 1
            name: relative-data
            model:
              inputs: 1
              layers:
                - {name: out, units: 1, activation: linear, weights: [[0.5]], bias: 0.1}
            data: {csv: data/points.csv, inputs: [x], targets: [y]}
            training: {loss: mse, learning_rate: 0.1, steps: 5}
            sweep:
              training.learning_rate: [0.1, 0.2]

            """.write(to: folder.appendingPathComponent("specs/line.yaml"), atomically: true, encoding: .utf8)
        let output = try NnrunProcess.run(["sweep", "specs/line.yaml", "-o", "elsewhere/out", "--quiet"], in: folder)
        XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
        let rows = try runs(summary(folder.appendingPathComponent("elsewhere/out")))
        XCTAssertEqual(rows.map { $0["status"] as? String }, ["completed", "completed"])
        for row in rows {
            let name = try XCTUnwrap(row["spec"] as? String)
            let text = try String(contentsOf: folder.appendingPathComponent("elsewhere/out/" + name), encoding: .utf8)
            XCTAssertTrue(text.contains("csv: \"../../specs/data/points.csv\""), text)
            let alone = try NnrunProcess.run(["elsewhere/out/" + name, "-o", "alone.json"], in: folder)
            XCTAssertEqual(alone.status, 0, alone.stderr)
            let results = try XCTUnwrap(row["results"] as? String)
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("alone.json")),
                           try Data(contentsOf: folder.appendingPathComponent("elsewhere/out/" + results)), results)
        }
    }

    func testShardsCoverTheSweepAndMergeDetectsAMissingShard() throws {
        let folder = try NnrunProcess.temporaryFolder()
        XCTAssertEqual(try NnrunProcess.run(["sweep", spec, "-o", "all", "--quiet"], in: folder).status, 0)
        for shard in 0..<3 {
            let output = try NnrunProcess.run(["sweep", spec, "-o", "shard\(shard)", "--shard", "\(shard)/3", "--quiet"], in: folder)
            XCTAssertEqual(output.status, 0, output.stderr)
        }
        let indices = try (0..<3).map { shard in
            try runs(summary(folder.appendingPathComponent("shard\(shard)"), "shard-\(shard)-of-3.json")).compactMap { $0["index"] as? Int }
        }
        XCTAssertEqual(indices, [[0, 3], [1, 4], [2, 5]], "index mod N == I")
        // Missing shard 2: merge refuses and names the runs.
        let partial = try NnrunProcess.run(["sweep", "merge", "shard0", "shard1", "-o", "merged"], in: folder)
        XCTAssertEqual(partial.status, 1)
        XCTAssertEqual(partial.stderr, "error: 2 of 6 runs are missing (runs 2, 5); a shard did not finish or was not given\n")
        // A shard given twice: duplicates.
        let twice = try NnrunProcess.run(["sweep", "merge", "shard0", "shard0", "shard1", "shard2", "-o", "merged"], in: folder)
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.stderr.contains("runs 0, 3 appear in more than one shard"), twice.stderr)
        // All shards: the merged summary equals the unsharded one, run for run.
        let merged = try NnrunProcess.run(["sweep", "merge", "shard0", "shard1", "shard2", "-o", "merged"], in: folder)
        XCTAssertEqual(merged.status, 0, merged.stderr)
        let all = try String(contentsOf: folder.appendingPathComponent("all/summary.csv"), encoding: .utf8)
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("merged/summary.csv"), encoding: .utf8), all)
        for row in try runs(summary(folder.appendingPathComponent("all"))) {
            let name = try XCTUnwrap(row["results"] as? String)
            let shard = try XCTUnwrap(row["index"] as? Int) % 3
            // Per-run results match too, except spec.path, which names the shard's folder.
            let a = try String(contentsOf: folder.appendingPathComponent("all/" + name), encoding: .utf8)
            let b = try String(contentsOf: folder.appendingPathComponent("shard\(shard)/" + name), encoding: .utf8)
            XCTAssertEqual(a.replacingOccurrences(of: "\"all/", with: "\""), b.replacingOccurrences(of: "\"shard\(shard)/", with: "\""))
        }
    }

    /// The merged summary names each run's files relative to its own folder, so merge
    /// copies them there: the merged folder holds what an unsharded sweep's does, and its
    /// results can be plotted.
    func testAMergedSweepHoldsItsRunsFilesAndCanBePlotted() throws {
        let folder = try NnrunProcess.temporaryFolder()
        for shard in 0..<2 {
            let output = try NnrunProcess.run(["sweep", spec, "-o", "shard\(shard)", "--shard", "\(shard)/2", "--quiet"], in: folder)
            XCTAssertEqual(output.status, 0, output.stderr)
        }
        let merged = try NnrunProcess.run(["sweep", "merge", "shard0", "shard1", "-o", "merged"], in: folder)
        XCTAssertEqual(merged.status, 0, merged.stderr)
        var resultsPaths: [String] = []
        for row in try runs(summary(folder.appendingPathComponent("merged"))) {
            let shard = try XCTUnwrap(row["index"] as? Int) % 2
            for key in ["spec", "results"] {
                let name = try XCTUnwrap(row[key] as? String, key)
                XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("merged/" + name)),
                               try Data(contentsOf: folder.appendingPathComponent("shard\(shard)/" + name)), name)
            }
            resultsPaths.append("merged/" + (try XCTUnwrap(row["results"] as? String)))
        }
        XCTAssertEqual(resultsPaths.count, 6)
        let plot = try NnrunProcess.run(["plot"] + resultsPaths + ["-o", "merged/loss.svg"], in: folder)
        XCTAssertEqual(plot.status, 0, plot.stderr)
        let svg = try String(contentsOf: folder.appendingPathComponent("merged/loss.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("learning_rate=1.0,update=immediate"), "one line per run, labelled with its id")
        // Merging into a shard's own folder leaves its files and copies the other shard's.
        let inPlace = try NnrunProcess.run(["sweep", "merge", "shard0", "shard1"], in: folder)
        XCTAssertEqual(inPlace.status, 0, inPlace.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("shard0/1-learning_rate=0.1,update=immediate.results.json").path))
        // A shard folder copied without its results files is refused, naming the file.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("shard1/3-learning_rate=0.5,update=immediate.results.json"))
        let incomplete = try NnrunProcess.run(["sweep", "merge", "shard1", "shard0", "-o", "again"], in: folder)
        XCTAssertEqual(incomplete.status, 66)
        XCTAssertTrue(incomplete.stderr.hasPrefix("error: a results file named by the shard summaries is missing: shard1/3-learning_rate=0.5,update=immediate.results.json\n"), incomplete.stderr)
    }

    /// The spec's one check is the tutorial's loss after one step, 0.291027774, which holds
    /// for the tutorial's settings only (learning rate 0.5, deferred): the immediate order
    /// differs in the 7th digit and other learning rates take other steps. Each run's
    /// checks show in the table, the CSV and the JSON; --check turns a failure into exit 1.
    func testFailedChecksShowPerRunAndCheckMakesThemFailTheSweep() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let output = try NnrunProcess.run(["sweep", spec, "-o", "out"], in: folder)
        XCTAssertEqual(output.status, 0, "without --check a sweep reports checks but does not judge them")
        let rows = try runs(summary(folder.appendingPathComponent("out")))
        // The check's line: the runs' specs keep the spec's lines above the sweep: section.
        let checkLine = try XCTUnwrap(try String(contentsOfFile: spec, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("quantity: loss, value: 0.291027774") }) + 1
        for row in rows {
            let index = try XCTUnwrap(row["index"] as? Int)
            let checks = try XCTUnwrap(row["checks"] as? [String: Any])
            XCTAssertEqual(checks["passed"] as? Int, index == 2 ? 1 : 0, "run \(index)")
            XCTAssertEqual(checks["failed"] as? Int, index == 2 ? 0 : 1, "run \(index)")
            let failures = try XCTUnwrap(checks["failures"] as? [String])
            XCTAssertEqual(failures.count, index == 2 ? 0 : 1)
            let spec = try XCTUnwrap(row["spec"] as? String)
            XCTAssertTrue(failures.allSatisfy { $0.hasPrefix("FAIL \(spec):\(checkLine): loss at 1 = ") }, "\(failures)")
        }
        let table = output.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(table[0].split(separator: " ", omittingEmptySubsequences: true).last, "checks")
        XCTAssertTrue(try XCTUnwrap(table.first { $0.hasPrefix("2 ") }).hasSuffix("  1 passed"), output.stdout)
        XCTAssertTrue(try XCTUnwrap(table.first { $0.hasPrefix("3 ") }).hasSuffix("  1 of 1 failed"), output.stdout)
        XCTAssertTrue(output.stdout.contains("\nchecks failed in 5 of 6 runs (spec files in out/):\n  FAIL 0-learning_rate=0.1,update=deferred.yaml:33: loss at 1 = "), output.stdout)
        let csv = try String(contentsOf: folder.appendingPathComponent("out/summary.csv"), encoding: .utf8).split(separator: "\r\n")
        XCTAssertTrue(csv[0].hasSuffix(",checks_passed,checks_failed"))
        XCTAssertTrue(csv[3].hasSuffix(",1,0"), String(csv[3]))
        XCTAssertTrue(csv[1].hasSuffix(",0,1"), String(csv[1]))

        let checked = try NnrunProcess.run(["sweep", spec, "-o", "out", "--check"], in: folder)
        XCTAssertEqual(checked.status, 1)
        XCTAssertTrue(checked.stdout.hasSuffix("sweep check: 5 of 6 runs failed (5 with a failed check, 0 not completed)\n"), checked.stdout)
        // Only the tutorial's settings: every check passes, exit 0.
        let text = try String(contentsOfFile: spec, encoding: .utf8)
            // The sweep's keys are key paths, not nested keys: edited as text.
            .replacing(exactlyOnce: "training.learning_rate: [0.1, 0.5, 1.0]", with: "training.learning_rate: [0.5]")
            .replacing(exactlyOnce: "training.update: [deferred, immediate]", with: "training.update: [deferred]")
        try text.write(to: folder.appendingPathComponent("tutorial-only.yaml"), atomically: true, encoding: .utf8)
        let passing = try NnrunProcess.run(["sweep", "tutorial-only.yaml", "-o", "one", "--check"], in: folder)
        XCTAssertEqual(passing.status, 0, passing.stdout)
        XCTAssertTrue(passing.stdout.hasSuffix("sweep check: 1 of 1 runs completed and passed their checks\n"), passing.stdout)
        // Shards carry the checks; merge --check judges the whole sweep.
        for shard in 0..<2 {
            XCTAssertEqual(try NnrunProcess.run(["sweep", spec, "-o", "s\(shard)", "--shard", "\(shard)/2", "--quiet"], in: folder).status, 0)
        }
        let merged = try NnrunProcess.run(["sweep", "merge", "s0", "s1", "-o", "merged", "--check"], in: folder)
        XCTAssertEqual(merged.status, 1)
        XCTAssertTrue(merged.stdout.hasSuffix("sweep check: 5 of 6 runs failed (5 with a failed check, 0 not completed)\n"), merged.stdout)
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("merged/summary.csv"), encoding: .utf8),
                       try String(contentsOf: folder.appendingPathComponent("out/summary.csv"), encoding: .utf8))
    }

    func testShardAutoReadsTheSchedulersEnvironment() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let env = URL(fileURLWithPath: "/usr/bin/env")
        let slurm = try NnrunProcess.run(["SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_COUNT=2", NnrunProcess.executable.path,
                                          "sweep", spec, "-o", "s", "--shard", "auto", "--quiet"], in: folder, executable: env)
        XCTAssertEqual(slurm.status, 0, slurm.stderr)
        XCTAssertEqual(try runs(summary(folder.appendingPathComponent("s"), "shard-1-of-2.json")).compactMap { $0["index"] as? Int }, [1, 3, 5])
        let kubernetes = try NnrunProcess.run(["JOB_COMPLETION_INDEX=0", NnrunProcess.executable.path,
                                               "sweep", spec, "-o", "k", "--shard", "auto", "--shard-count", "3", "--quiet"],
                                              in: folder, executable: env)
        XCTAssertEqual(kubernetes.status, 0, kubernetes.stderr)
        XCTAssertEqual(try runs(summary(folder.appendingPathComponent("k"), "shard-0-of-3.json")).compactMap { $0["index"] as? Int }, [0, 3])
        let nothing = try NnrunProcess.run(["sweep", spec, "--shard", "auto"], in: folder)
        XCTAssertEqual(nothing.status, 64)
    }

    func testSweepProblemsAreLocatedBeforeAnythingRuns() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let text = try String(contentsOfFile: spec, encoding: .utf8)
            .replacing(exactlyOnce: "  training.update: [deferred, immediate]", with: "  training.optimizer.momentum: [0.9]\n  training.learning_rate: [0.5, 0]")
            .replacing(exactlyOnce: "  training.learning_rate: [0.1, 0.5, 1.0]\n", with: "")
        let path = folder.appendingPathComponent("bad.yaml")
        try text.write(to: path, atomically: true, encoding: .utf8)
        let output = try NnrunProcess.run(["sweep", "bad.yaml", "-o", "out"], in: folder)
        XCTAssertEqual(output.status, 65)
        XCTAssertTrue(output.stderr.hasPrefix("bad.yaml:36:3: error[NN7002]: sweep.training.optimizer.momentum: the spec does not write 'training.optimizer.momentum' (it stops at 'training')\n"), output.stderr)
        // A value that makes an expanded spec invalid is shown in that run, pointing back at the sweep.
        let fixed = try text.replacing(exactlyOnce: "  training.optimizer.momentum: [0.9]\n", with: "")
        try fixed.write(to: path, atomically: true, encoding: .utf8)
        let run = try NnrunProcess.run(["sweep", "bad.yaml", "-o", "out"], in: folder)
        XCTAssertEqual(run.status, 65)
        XCTAssertTrue(run.stderr.contains("bad.yaml [learning_rate=0]:24:18: error[NN5005]: training.learning_rate: expected a positive learning rate, found 0\n"), run.stderr)
        // "  training.learning_rate: [0.5, 0]": the 0 is at column 33.
        XCTAssertTrue(run.stderr.contains("  note: bad.yaml [learning_rate=0]:24:18: the value comes from the sweep at bad.yaml:36:33\n"), run.stderr)
        XCTAssertTrue(run.stderr.hasSuffix("bad.yaml: 1 of 2 expanded specs are invalid; nothing was run\n"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }
}

extension SweepTests {
    /// A run that diverges is a row like any other; the rest still run.
    func testADivergedRunIsReportedInItsRow() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let text = try TestSpecs.derived(from: TestSpecs.divergent, setting: ["training.steps": "20"])
            + "\nsweep:\n  training.learning_rate: [0.0001, 10]\n"
        try text.write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let output = try NnrunProcess.run(["sweep", "s.yaml", "-o", "out"], in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        let rows = try runs(summary(folder.appendingPathComponent("out")))
        XCTAssertEqual(rows.map { $0["status"] as? String }, ["completed", "diverged"])
        XCTAssertEqual(rows[0]["steps"] as? Int, 20)
        XCTAssertLessThan(try XCTUnwrap(rows[1]["steps"] as? Int), 20)
        // The table lists the finite loss first, the diverged run last.
        let lines = output.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, output.stdout)
        guard lines.count == 3 else { return }
        XCTAssertTrue(lines[1].hasPrefix("0 "), output.stdout)
        XCTAssertTrue(lines[2].contains("diverged"), output.stdout)
        // The spec has no checks: no checks column; --check still fails the diverged run,
        // and with --quiet says so on standard error only.
        XCTAssertFalse(lines[0].contains("checks"), output.stdout)
        let checked = try NnrunProcess.run(["sweep", "s.yaml", "-o", "out", "--check"], in: folder)
        XCTAssertEqual(checked.status, 1)
        XCTAssertTrue(checked.stdout.hasSuffix("sweep check: 1 of 2 runs failed (0 with a failed check, 1 not completed)\n"), checked.stdout)
        // With --quiet, no table: the run that did not complete is named on standard error.
        let quiet = try NnrunProcess.run(["sweep", "s.yaml", "-o", "out", "--quiet", "--check"], in: folder)
        XCTAssertEqual(quiet.status, 1)
        XCTAssertEqual(quiet.stdout, "")
        XCTAssertEqual(quiet.stderr, "s.yaml: run 1 (learning_rate=10): diverged\nsweep check: 1 of 2 runs failed (0 with a failed check, 1 not completed)\n")
    }
}
