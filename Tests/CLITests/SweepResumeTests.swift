import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Preemption: a shard killed mid-way (SIGTERM as Slurm's scancel and preemption send
/// first, SIGKILL as a lost node or `kill -9` does) and run again trains only the runs it
/// had not finished, and the merged sweep is byte for byte an uninterrupted one.
final class SweepResumeTests: XCTestCase {
    /// The tutorial sweep with enough steps that a run lasts long enough to be killed in:
    /// 300,000 steps, about 0.2 s in a debug build (60,000 steps, about 40 ms, sometimes
    /// finished between two looks for the run's spec on a fast machine).
    private func longSweep(in folder: URL) throws -> String {
        let text = try String(contentsOf: Repository.file("specs/tutorial-sweep.yaml"), encoding: .utf8)
        try TestSpecs.derived(from: text, setting: ["training.steps": "300000", "record.every": "5000"])
            .write(to: folder.appendingPathComponent("long-sweep.yaml"), atomically: true, encoding: .utf8)
        return "long-sweep.yaml"
    }

    /// Starts `nnrun ARGUMENTS` in `folder` and sends `signal` once `file` exists (the
    /// spec of the shard's second run, written as the run starts: with -j 1 the first run
    /// has finished and the second is training); returns the exit status.
    private func interrupted(_ arguments: [String], in folder: URL, by signal: Int32, after file: String) throws -> Int32 {
        let process = Process()
        process.executableURL = NnrunProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(300)
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) && process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.002)
        }
        XCTAssertTrue(process.isRunning, "the shard ended before it could be interrupted: make its runs longer")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func inode(_ url: URL) throws -> Int {
        try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int)
    }

    private func files(_ folder: URL, endingIn suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
    }

    func testAShardKilledMidwayAndRunAgainCompletesOnlyItsMissingRunsAndMergesAsUninterrupted() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let spec = try longSweep(in: folder)
        // Shard 0 of 2 (runs 0, 2, 4) killed with SIGKILL, shard 1 (runs 1, 3, 5) stopped with SIGTERM,
        // each while its second run trains.
        let killed = try interrupted(["sweep", spec, "-j", "1", "-o", "s0", "--shard", "0/2", "--quiet"], in: folder,
                                     by: SIGKILL, after: "s0/2-learning_rate=0.5,update=deferred.yaml")
        XCTAssertEqual(killed, SIGKILL, "ended by the signal")
        let stopped = try interrupted(["sweep", spec, "-j", "1", "-o", "s1", "--shard", "1/2", "--quiet"], in: folder,
                                      by: SIGTERM, after: "s1/3-learning_rate=0.5,update=immediate.yaml")
        XCTAssertEqual(stopped, 128 + SIGTERM, "exit 143 after writing what it had")

        // SIGKILL left no summary and only whole results files (atomic writes); SIGTERM left
        // the interrupted run's results and a summary whose rows say so.
        XCTAssertEqual(files(folder.appendingPathComponent("s0"), endingIn: ".results.json"), ["0-learning_rate=0.1,update=deferred.results.json"])
        XCTAssertEqual(files(folder.appendingPathComponent("s0"), endingIn: "-of-2.json"), [])
        let stoppedSummary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("s1/shard-1-of-2.json"))) as? [String: Any])
        let statuses = try XCTUnwrap(stoppedSummary["runs"] as? [[String: Any]]).compactMap { $0["status"] as? String }
        XCTAssertEqual(statuses, ["completed", "interrupted", "not run (interrupted)"])

        // Merging now fails and says why: shard 0 wrote no summary, shard 1's runs 3 and 5 did not finish.
        let early = try NnrunProcess.run(["sweep", "merge", "s1", "-o", "merged"], in: folder)
        XCTAssertEqual(early.status, 1)
        XCTAssertEqual(early.stderr, "error: 3 of 6 runs are missing (runs 0, 2, 4); a shard did not finish or was not given; "
                       + "2 of 6 runs did not finish (runs 3, 5): their shard was interrupted; run it again with the same command, which trains only those runs\n")

        // Run again: the finished runs' results files are kept as they are (same inode: not rewritten).
        let kept = [folder.appendingPathComponent("s0/0-learning_rate=0.1,update=deferred.results.json"),
                    folder.appendingPathComponent("s1/1-learning_rate=0.1,update=immediate.results.json")]
        let inodes = try kept.map(inode)
        for shard in 0..<2 {
            let again = try NnrunProcess.run(["sweep", spec, "-j", "1", "-o", "s\(shard)", "--shard", "\(shard)/2", "--quiet"], in: folder)
            XCTAssertEqual(again.status, 0, again.stderr)
        }
        XCTAssertEqual(try kept.map(inode), inodes, "a finished run is not trained again")
        XCTAssertEqual(files(folder.appendingPathComponent("s1"), endingIn: ".results.json").count, 3)

        // The merged sweep is the uninterrupted one, byte for byte: summaries and every results file.
        let merged = try NnrunProcess.run(["sweep", "merge", "s0", "s1", "-o", "merged", "--quiet"], in: folder)
        XCTAssertEqual(merged.status, 0, merged.stderr)
        for shard in 0..<2 {
            let whole = try NnrunProcess.run(["sweep", spec, "-o", "s\(shard)-whole", "--shard", "\(shard)/2", "--quiet"], in: folder)
            XCTAssertEqual(whole.status, 0, whole.stderr)
        }
        let uninterrupted = try NnrunProcess.run(["sweep", "merge", "s0-whole", "s1-whole", "-o", "whole", "--quiet"], in: folder)
        XCTAssertEqual(uninterrupted.status, 0, uninterrupted.stderr)
        for file in ["summary.json", "summary.csv", "shard-1-of-2.json"] {
            let name = file.hasPrefix("shard") ? ("s1/" + file, "s1-whole/" + file) : ("merged/" + file, "whole/" + file)
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent(name.0)), try Data(contentsOf: folder.appendingPathComponent(name.1)), file)
        }
        let results = files(folder.appendingPathComponent("whole"), endingIn: ".results.json")
        XCTAssertEqual(results.count, 6)
        for shard in 0..<2 {
            for name in files(folder.appendingPathComponent("s\(shard)-whole"), endingIn: ".results.json") {
                // Each run's results name the spec in its shard's folder: compare with the same folder's rerun.
                let rerun = try Data(contentsOf: folder.appendingPathComponent("s\(shard)/" + name))
                let whole = try String(contentsOf: folder.appendingPathComponent("s\(shard)-whole/" + name), encoding: .utf8)
                    .replacingOccurrences(of: "\"path\": \"s\(shard)-whole/", with: "\"path\": \"s\(shard)/")
                XCTAssertEqual(String(decoding: rerun, as: UTF8.self), whole, name)
            }
        }
    }

    /// A results file is kept only when it is the run's: one from another version of the
    /// run's spec (here the learning rate changed after the interruption) is trained again.
    func testAResultsFileOfAnotherSpecIsTrainedAgain() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let text = try String(contentsOf: Repository.file("specs/tutorial-sweep.yaml"), encoding: .utf8)
        try text.write(to: folder.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try NnrunProcess.run(["sweep", "a.yaml", "-o", "out", "--quiet"], in: folder).status, 0)
        let first = folder.appendingPathComponent("out/0-learning_rate=0.1,update=deferred.results.json")
        let before = try inode(first)
        // The same spec again: nothing is trained again.
        XCTAssertEqual(try NnrunProcess.run(["sweep", "a.yaml", "-o", "out", "--quiet"], in: folder).status, 0)
        XCTAssertEqual(try inode(first), before)
        // A changed base spec (steps 1000 -> 999): every run's spec changes, so every run trains again.
        try TestSpecs.derived(from: text, setting: ["training.steps": "999"])
            .write(to: folder.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try NnrunProcess.run(["sweep", "a.yaml", "-o", "out", "--quiet"], in: folder).status, 0)
        XCTAssertNotEqual(try inode(first), before)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: first)) as? [String: Any])
        XCTAssertEqual(document["steps"] as? Int, 999)
    }
}
