import Foundation
import TestSupport
import XCTest

final class BenchCommandTests: XCTestCase {
    /// `nnrun bench --json` on the tutorial. Its multiply-adds, by hand: the evaluation
    /// before training is two (1 x 2) by (2 x 2) products, 8; each step runs the forward
    /// pass again (8), two weight gradients (2 x 1) by (1 x 2), 8, and one propagation
    /// (1 x 2) by (2 x 2), 4: 20 per step. Over 10,000 steps: 200,008, at 2 flops each.
    func testReportsStepsFlopsAndTimesAsJson() throws {
        let output = try NnrunProcess.run(["bench", Repository.file("specs/tutorial.yaml").path,
                                           "--runs", "3", "--warmup", "0", "--json", "--no-memory"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["format"] as? String, "nnrun.bench/1")
        XCTAssertEqual(report["runs"] as? Int, 3)
        // Without --threads: chosen by timing on a machine with two CPUs free (1 otherwise).
        XCTAssertEqual(report["threads_chosen_by_timing"] as? Bool, report["threads"] as? Int == 2)
        let workloads = try XCTUnwrap(report["workloads"] as? [[String: Any]])
        XCTAssertEqual(workloads.count, 1)
        let tutorial = workloads[0]
        XCTAssertEqual(tutorial["steps"] as? Int, 10_000)
        XCTAssertEqual(try XCTUnwrap(tutorial["flops_per_step"] as? Double), 2 * 200_008 / 10_000, accuracy: 1e-12)
        let seconds = try XCTUnwrap(tutorial["train_seconds"] as? [Double])
        XCTAssertEqual(seconds.count, 3)
        XCTAssertEqual(tutorial["median_train_seconds"] as? Double, seconds.sorted()[1], "the median of three is the middle one")
        XCTAssertEqual(try XCTUnwrap(tutorial["median_step_seconds"] as? Double), seconds.sorted()[1] / 10_000, accuracy: 1e-15)
        XCTAssertTrue(tutorial["peak_memory_bytes"] is NSNull, "--no-memory")
    }

    func testAThreadCountGivenByHandIsNotChosenByTiming() throws {
        let output = try NnrunProcess.run(["bench", Repository.file("specs/xor.yaml").path, "--threads", "2",
                                           "--runs", "1", "--warmup", "0", "--json", "--no-memory"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["threads"] as? Int, 2)
        XCTAssertEqual(report["threads_chosen_by_timing"] as? Bool, false)
    }

    func testMeasuresPeakMemoryOfASeparateRun() throws {
        let output = try NnrunProcess.run(["bench", Repository.file("specs/xor.yaml").path, "--runs", "1", "--warmup", "0", "--json"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let xor = try XCTUnwrap((report["workloads"] as? [[String: Any]])?.first)
        let peak = try XCTUnwrap(xor["peak_memory_bytes"] as? Int)
        let planned = try XCTUnwrap(xor["planned_memory_bytes"] as? Int)
        // A whole process: more than the plan's buffers, and no more than a few hundred MiB.
        XCTAssertGreaterThan(peak, planned)
        XCTAssertLessThan(peak, 300 << 20)
    }

    func testRefusesAThreadCountOtherThanOneOrTwo() throws {
        let output = try NnrunProcess.run(["bench", Repository.file("specs/xor.yaml").path, "--threads", "3"])
        XCTAssertEqual(output.status, 64)
        XCTAssertTrue(output.stderr.contains("--threads must be 1 or 2, not 3"), output.stderr)
    }

    func testEveryKernelGivesTheSameResultsFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnrun-kernels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = Repository.file("specs/iris.yaml").path
        var files: [Data] = []
        // The last without --threads: the choice by timing is wired through `run` (iris's
        // steps are too short to be timed; ThreadChoiceTests covers runs that change threads).
        for options in [["--kernel", "generic", "--threads", "1"], ["--threads", "1"], ["--threads", "2"], []] {
            let path = folder.appendingPathComponent("r.json").path
            XCTAssertEqual(try NnrunProcess.run([spec, "-o", path] + options).status, 0)
            files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        XCTAssertEqual(files[0], files[1])
        XCTAssertEqual(files[0], files[2])
        XCTAssertEqual(files[0], files[3])
    }
}
