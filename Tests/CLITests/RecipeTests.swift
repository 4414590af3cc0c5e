import Foundation
import TestSupport
import XCTest

/// The scale-out and CI recipes under examples/: the docs show them verbatim, the GitHub
/// Actions workflows pass GitHub's workflow schema and their shell steps run here, the
/// Kubernetes Job passes the Kubernetes API schema and its command shards as an Indexed
/// Job's pods would. (The Slurm recipe runs on a real Slurm: SlurmRecipeTests; the
/// Containerfile's binary in a bare Debian: ContainerImageTests.)
///
/// The docs' copies are regenerated from the files with
///
///     NNRUN_WRITE_RECIPE_DOCS=1 swift test --filter RecipeTests/testTheDocsShowTheRecipeFilesVerbatim
final class RecipeTests: XCTestCase {
    private let env = URL(fileURLWithPath: "/usr/bin/env")
    private let recipes = ["examples/slurm/sweep.sbatch", "examples/slurm/merge.sbatch", "examples/slurm/torchrun.sbatch", "examples/kubernetes/sweep-job.yaml",
                           "examples/github/nnrun-check.yml", "examples/github/nnrun-sweep.yml", "Containerfile"]

    // MARK: The docs

    /// A recipe in a doc is a line `<!-- recipe: PATH -->` followed by a fenced block,
    /// which must hold the file's text exactly.
    func testTheDocsShowTheRecipeFilesVerbatim() throws {
        let write = ProcessInfo.processInfo.environment["NNRUN_WRITE_RECIPE_DOCS"] != nil
        var shown: Set<String> = []
        for doc in ["Docs/scaling.md", "Docs/ci.md"] {
            let url = Repository.file(doc)
            var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            var index = 0
            while index < lines.count {
                let line = lines[index]
                index += 1
                guard line.hasPrefix("<!-- recipe: "), line.hasSuffix(" -->") else { continue }
                let path = String(line.dropFirst("<!-- recipe: ".count).dropLast(" -->".count))
                shown.insert(path)
                let text = try String(contentsOf: Repository.file(path), encoding: .utf8)
                XCTAssertTrue(index < lines.count && lines[index].hasPrefix("```"), "\(doc): a fenced block must follow the marker of \(path)")
                guard let end = lines[(index + 1)...].firstIndex(of: "```") else { XCTFail("\(doc): unclosed block for \(path)"); break }
                let block = lines[(index + 1)..<end].joined(separator: "\n") + "\n"
                if write {
                    lines.replaceSubrange((index + 1)..<end, with: text.components(separatedBy: "\n").dropLast())
                    index += text.components(separatedBy: "\n").count
                } else {
                    XCTAssertEqual(block, text, "\(doc) shows \(path) differently: regenerate with NNRUN_WRITE_RECIPE_DOCS=1 swift test --filter RecipeTests/testTheDocsShowTheRecipeFilesVerbatim")
                    index = end + 1
                }
            }
            if write { try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8) }
        }
        XCTAssertEqual(shown, Set(recipes), "every recipe file is shown in the docs")
    }

    // MARK: GitHub Actions

    private func requireTool(_ probe: [String], _ install: String) throws {
        let output = try NnrunProcess.run(probe, executable: env)
        guard output.status == 0 else { throw missingTool("\(probe[0]) is needed: \(install)") }
    }

    /// A YAML file read by PyYAML and handed over as JSON.
    private func yaml(_ path: String) throws -> Any {
        try requireTool(["python3", "-c", "import yaml"], "pip install pyyaml")
        let output = try NnrunProcess.run(["python3", "-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", path],
                                          executable: env)
        XCTAssertEqual(output.status, 0, output.stderr)
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
    }

    func testTheWorkflowsPassGitHubsWorkflowSchema() throws {
        try requireTool(["check-jsonschema", "--version"], "pip install check-jsonschema")
        let files = ["examples/github/nnrun-check.yml", "examples/github/nnrun-sweep.yml"].map { Repository.file($0).path }
        let output = try NnrunProcess.run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows"] + files, executable: env)
        XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
    }

    /// The steps of a workflow's job that run on this machine as they are; the installs
    /// (.ci/run's job here) and the build (the nnrun under test stands in for
    /// .build/release/nnrun) are the only ones left out, and they must be there.
    private func shellSteps(_ workflow: String, job: String, matrix: [String: String] = [:]) throws -> [String] {
        let document = try XCTUnwrap(try yaml(Repository.file(workflow).path) as? [String: Any])
        let steps = try XCTUnwrap(((document["jobs"] as? [String: Any])?[job] as? [String: Any])?["steps"] as? [[String: Any]])
        let runs = steps.compactMap { $0["run"] as? String }
        let skipped = runs.filter { $0.hasPrefix("apt-get update && apt-get install") || $0.hasPrefix("swift build -c release --product nnrun") }
        XCTAssertEqual(skipped.count, 2, "\(workflow) \(job): the install and the build step")
        return runs.filter { !skipped.contains($0) }.map { step in
            matrix.reduce(step) { $0.replacingOccurrences(of: "${{ matrix.\($1.key) }}", with: $1.value) }
        }
    }

    /// A checkout of what the steps read: the specs, and the nnrun under test as the build step's product.
    private func checkout() throws -> URL {
        let folder = try NnrunProcess.temporaryFolder()
        try FileManager.default.copyItem(at: Repository.file("specs"), to: folder.appendingPathComponent("specs"))
        // The benchmarks' generated data (large, and not read by specs/*.yaml).
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("specs/bench/data"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".build/release"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(".build/release/nnrun"), withDestinationURL: NnrunProcess.executable)
        return folder
    }

    private func bash(_ script: String, in folder: URL) throws -> NnrunProcess.Output {
        try NnrunProcess.run(["bash", "-e", "-c", script], in: folder, executable: env)
    }

    func testTheCheckWorkflowsStepsPassOnTheShippedSpecs() throws {
        let folder = try checkout()
        let steps = try shellSteps("examples/github/nnrun-check.yml", job: "check")
        XCTAssertEqual(steps.count, 2)
        let output = try bash(steps.joined(separator: "\n"), in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasSuffix(" passed, 0 failed\n"), output.stdout)
        let report = try String(contentsOf: folder.appendingPathComponent("report.xml"), encoding: .utf8)
        XCTAssertTrue(report.contains("<testsuites"), "the report the upload step publishes")
    }

    /// Each matrix job's steps with its shard, the artifacts passed as GitHub passes them
    /// (upload `shard-N` from path `shard-N`; download-artifact without a name puts each
    /// artifact in a folder of its name), then the merge job: an unsharded sweep's summary.
    func testTheSweepWorkflowsMatrixAndMergeGiveTheUnshardedSweep() throws {
        let document = try XCTUnwrap(try yaml(Repository.file("examples/github/nnrun-sweep.yml").path) as? [String: Any])
        let shardJob = try XCTUnwrap((document["jobs"] as? [String: Any])?["shard"] as? [String: Any])
        let shards = try XCTUnwrap(((shardJob["strategy"] as? [String: Any])?["matrix"] as? [String: Any])?["shard"] as? [Int])
        XCTAssertEqual(shards, [0, 1, 2, 3])
        let artifacts = try NnrunProcess.temporaryFolder()
        for shard in shards {
            let runner = try checkout()
            let output = try bash(try shellSteps("examples/github/nnrun-sweep.yml", job: "shard", matrix: ["shard": "\(shard)"]).joined(separator: "\n"), in: runner)
            XCTAssertEqual(output.status, 0, output.stderr)
            try FileManager.default.copyItem(at: runner.appendingPathComponent("shard-\(shard)"), to: artifacts.appendingPathComponent("shard-\(shard)"))
        }
        let runner = try checkout()
        for artifact in try FileManager.default.contentsOfDirectory(atPath: artifacts.path) {
            try FileManager.default.copyItem(at: artifacts.appendingPathComponent(artifact), to: runner.appendingPathComponent(artifact))
        }
        let merge = try bash(try shellSteps("examples/github/nnrun-sweep.yml", job: "merge").joined(separator: "\n"), in: runner)
        XCTAssertEqual(merge.status, 0, merge.stderr)
        let unsharded = try NnrunProcess.run(["sweep", "specs/tutorial-sweep.yaml", "-o", "all", "--quiet"], in: runner)
        XCTAssertEqual(unsharded.status, 0, unsharded.stderr)
        for file in ["summary.json", "summary.csv"] {
            XCTAssertEqual(try Data(contentsOf: runner.appendingPathComponent("sweep/" + file)),
                           try Data(contentsOf: runner.appendingPathComponent("all/" + file)), file)
        }
    }

    // MARK: Kubernetes

    func testTheJobPassesTheKubernetesAPISchema() throws {
        try requireTool(["kubernetes-validate", "--version"], "pip install kubernetes-validate")
        let output = try NnrunProcess.run(["kubernetes-validate", "--strict", Repository.file("examples/kubernetes/sweep-job.yaml").path], executable: env)
        XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
        XCTAssertTrue(output.stdout.contains("passed"), output.stdout)
    }

    /// The strict schema is what catches a mistyped field: a manifest with one fails.
    func testAJobWithAnUnknownFieldFailsTheSchema() throws {
        try requireTool(["kubernetes-validate", "--version"], "pip install kubernetes-validate")
        let text = try String(contentsOf: Repository.file("examples/kubernetes/sweep-job.yaml"), encoding: .utf8)
        let broken = try NnrunProcess.temporaryFolder().appendingPathComponent("job.yaml")
        try text.replacingOccurrences(of: "completionMode: Indexed", with: "completionMode: Indexed\n  completion: 4").write(to: broken, atomically: true, encoding: .utf8)
        let output = try NnrunProcess.run(["kubernetes-validate", "--strict", broken.path], executable: env)
        XCTAssertNotEqual(output.status, 0, output.stdout)
    }

    /// Each of the Job's completions runs its container's command with JOB_COMPLETION_INDEX
    /// set, as an Indexed Job's pod does, the results volume mounted at its mountPath
    /// (here a folder); merged, the shards are the unsharded sweep.
    func testTheJobsCommandShardsTheSweepByCompletionIndex() throws {
        let job = try XCTUnwrap(try yaml(Repository.file("examples/kubernetes/sweep-job.yaml").path) as? [String: Any])
        let spec = try XCTUnwrap(job["spec"] as? [String: Any])
        XCTAssertEqual(spec["completionMode"] as? String, "Indexed")
        let completions = try XCTUnwrap(spec["completions"] as? Int)
        let container = try XCTUnwrap((((spec["template"] as? [String: Any])?["spec"] as? [String: Any])?["containers"] as? [[String: Any]])?.first)
        let command = try XCTUnwrap(container["command"] as? [String]) + (try XCTUnwrap(container["args"] as? [String]))
        let mount = try XCTUnwrap((container["volumeMounts"] as? [[String: Any]])?.first?["mountPath"] as? String)
        XCTAssertEqual(command.prefix(2), ["sh", "-c"])
        let folder = try checkout()
        let script = command[2].replacingOccurrences(of: mount, with: folder.appendingPathComponent("results").path)
        let path = NnrunProcess.executable.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        for index in 0..<completions {
            let pod = try NnrunProcess.run(["sh", "-c", script], in: folder, executable: env,
                                           environment: ["PATH": path, "JOB_COMPLETION_INDEX": "\(index)"])
            XCTAssertEqual(pod.status, 0, pod.stderr)
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("results/shard-\(index)/shard-\(index)-of-\(completions).json").path))
        }
        let merge = try NnrunProcess.run(["sweep", "merge"] + (0..<completions).map { "results/shard-\($0)" } + ["-o", "results", "--quiet"], in: folder)
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertEqual(try NnrunProcess.run(["sweep", "specs/tutorial-sweep.yaml", "-o", "all", "--quiet"], in: folder).status, 0)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("results/summary.csv")),
                       try Data(contentsOf: folder.appendingPathComponent("all/summary.csv")))
    }
}
