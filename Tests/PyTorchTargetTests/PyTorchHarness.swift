import Foundation
import TestSupport
import XCTest

/// Compiles specs with `nnrun compile --target pytorch`, runs the scripts with PyTorch (all
/// of them in one Python process, or under torchrun), runs the same specs with nnrun, and
/// compares the two results files with `nnrun diff --common-sections --rel 1e-9`.
///
/// The expectation is an independent implementation: PyTorch's own layers, autograd and
/// torch.optim, fed the spec's settings; only the initial parameters and the spec's
/// constants come from nnrun.
struct PyTorchHarness {
    /// nnrun's and the script's numbers agree to this relative tolerance (the issue's bound):
    /// they differ only in rounding (other exp/tanh, other summation orders).
    static let tolerance = "1e-9"

    let folder: URL
    let scripts: URL

    init() throws {
        try Self.requireTorch()
        folder = try NnrunProcess.temporaryFolder()
        // The scripts live in their own folder, away from the specs, and run from a third:
        // their data files are found relative to the script, not to the current folder.
        scripts = folder.appendingPathComponent("scripts")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    static var fixture: URL {
        Repository.root.appendingPathComponent("Tests/PyTorchTargetTests/Fixtures/run_scripts.py")
    }

    /// Throws `missingTool` unless python3 can import torch and numpy.
    static func requireTorch() throws {
        let check = try? python(["-c", "import torch, numpy"])
        if check?.status != 0 {
            throw missingTool("PyTorch is not installed: python3 -m pip install torch numpy")
        }
    }

    /// A compiled spec: its script, and where each side writes its results.
    struct Job {
        var name: String
        var spec: URL
        var script: URL
        var torchResults: URL
        var nnrunResults: URL
    }

    /// Compiles `spec` and runs it with nnrun (exit 0, 1 for a failed check, or 3 for a
    /// diverged run: the results file is written in every case).
    func prepare(_ spec: URL, name: String) throws -> Job {
        let job = Job(name: name, spec: spec, script: scripts.appendingPathComponent(name + ".py"),
                      torchResults: folder.appendingPathComponent(name + ".torch.json"),
                      nnrunResults: folder.appendingPathComponent(name + ".nnrun.json"))
        let compiled = try NnrunProcess.run(["compile", spec.path, "--target", "pytorch", "-o", job.script.path])
        XCTAssertEqual(compiled.status, 0, "\(name): nnrun compile failed: \(compiled.stderr)")
        let run = try NnrunProcess.run([spec.path, "-o", job.nnrunResults.path, "--quiet"])
        XCTAssert([0, 1, 3].contains(run.status), "\(name): nnrun exited \(run.status): \(run.stderr)")
        return job
    }

    /// Runs every job's script in one Python process (or `processes` under torchrun) and
    /// returns the names whose script failed, with the reason.
    func runScripts(_ jobs: [Job], processes: Int = 1, timeout: TimeInterval = 900) throws -> [String: String] {
        let list = folder.appendingPathComponent("jobs-\(processes).json")
        let pairs = jobs.map { [$0.script.path, $0.torchResults.path] }
        try JSONSerialization.data(withJSONObject: pairs).write(to: list)
        var arguments = [Self.fixture.path, list.path]
        if processes > 1 {
            arguments = ["-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "\(processes)"] + arguments
        }
        let elsewhere = folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let output = try Self.python(arguments, in: elsewhere, timeout: timeout)
        var statuses: [String: String] = [:]
        for line in output.stdout.split(separator: "\n") where line.hasPrefix("RESULT ") {
            let fields = line.split(separator: " ")
            if fields.count >= 3 { statuses[String(fields[1])] = String(fields[2]) }
        }
        var failures: [String: String] = [:]
        for job in jobs {
            let status = statuses[job.script.path]
            // 3: the run diverged, as nnrun's did (the results then say so).
            if status != "0" && status != "3" {
                failures[job.name] = "script exited \(status ?? "without a result"): \(output.stdout.suffix(1500)) \(output.stderr.suffix(1500))"
            }
        }
        return failures
    }

    /// `nnrun diff --common-sections --rel 1e-9`: nil when the files agree, the differences otherwise.
    func disagreement(_ job: Job) throws -> String? {
        let diff = try NnrunProcess.run(["diff", "--common-sections", "--rel", Self.tolerance,
                                         job.torchResults.path, job.nnrunResults.path])
        if diff.status == 0 { return nil }
        return diff.stdout.split(separator: "\n").filter { !$0.hasPrefix("note:") }.prefix(6).joined(separator: "\n") + diff.stderr
    }

    typealias PythonOutput = NnrunProcess.Output

    /// Runs python3; a run past `timeout` is stopped by its process id (and fails the test).
    static func python(_ arguments: [String], in folder: URL? = nil, timeout: TimeInterval = 120) throws -> PythonOutput {
        let ran = try NnrunProcess.run(["python3"] + arguments, in: folder, executable: URL(fileURLWithPath: "/usr/bin/env"),
                                       timeout: timeout)
        if ran.timedOut {
            XCTFail("python3 \(arguments.joined(separator: " ")) took longer than \(Int(timeout)) s and was stopped")
        }
        return ran
    }
}
