import Foundation
import TestSupport
import XCTest

/// The Containerfile's image, checked without a container engine (none runs on this
/// project's machines): nnrun built as its build stage builds it (`--static-swift-stdlib`)
/// runs the Kubernetes Job's command in a bare Debian bookworm userland (a `debootstrap
/// --variant=minbase` chroot) with only the packages the runtime stage installs, laid out
/// as its COPY and WORKDIR lines say.
///
/// The chroot is made once and kept in `.build-chroot/` (git-ignored; about 4 minutes on
/// a loaded 2-core machine), the static build in `.build-static/`.
final class ContainerImageTests: XCTestCase {
    private let env = URL(fileURLWithPath: "/usr/bin/env")

    /// The runtime stage: what follows the Containerfile's last FROM.
    private struct RuntimeStage {
        var packages: [String] = []
        /// COPY source → destination (`--from=build` sources are the build stage's paths).
        var copies: [(from: String, to: String, fromBuild: Bool)] = []
        var workdir = "/"

        init(_ text: String) {
            let lines = text.components(separatedBy: "\n")
            let start = lines.lastIndex { $0.hasPrefix("FROM ") } ?? 0
            for line in lines[start...] {
                let words = line.split(separator: " ").map(String.init)
                if words.first == "RUN", let install = words.firstIndex(of: "install") {
                    packages += words[(install + 1)...].prefix { $0 != "&&" }.filter { !$0.hasPrefix("-") }
                } else if words.first == "COPY" {
                    let fromBuild = words.contains("--from=build")
                    let paths = words.dropFirst().filter { !$0.hasPrefix("--") }
                    if paths.count == 2 { copies.append((paths[0], paths[1], fromBuild)) }
                } else if words.first == "WORKDIR", words.count == 2 {
                    workdir = words[1]
                }
            }
        }
    }

    /// The Debian mirror this machine's apt uses (deb822 `URIs:` or a one-line `deb` entry).
    private func mirror() -> String {
        let folder = "/etc/apt/sources.list.d"
        let files = ["/etc/apt/sources.list"] + ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().map { folder + "/" + $0 }
        for file in files {
            for line in ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").components(separatedBy: "\n") {
                let words = line.split(separator: " ").map(String.init)
                if words.first == "URIs:", words.count > 1, words[1].hasSuffix("/debian") { return words[1] }
                if words.first == "deb", let uri = words.first(where: { $0.hasPrefix("http") }), uri.hasSuffix("/debian") { return uri }
            }
        }
        return "http://deb.debian.org/debian"
    }

    private struct ChrootFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    private func run(_ arguments: [String], in folder: URL? = nil) throws -> NnrunProcess.Output {
        try NnrunProcess.run(arguments, in: folder, executable: env)
    }

    /// The cached chroot with the runtime stage's packages installed.
    private func chroot(packages: [String]) throws -> URL {
        let root = Repository.file(".build-chroot/bookworm")
        let made = root.appendingPathComponent(".nnrun-debootstrap-done")
        if !FileManager.default.fileExists(atPath: made.path) {
            try? FileManager.default.removeItem(at: root)
            let started = Date()
            let output = try run(["debootstrap", "--variant=minbase", "bookworm", root.path, mirror()])
            guard output.status == 0 else { throw ChrootFailure(message: "debootstrap failed: " + output.stdout.suffix(2000) + output.stderr) }
            try "made in \(Int(Date().timeIntervalSince(started))) s\n".write(to: made, atomically: true, encoding: .utf8)
        }
        let installed = root.appendingPathComponent(".nnrun-packages")
        let wanted = packages.sorted().joined(separator: " ")
        if (try? String(contentsOf: installed, encoding: .utf8)) != wanted {
            try FileManager.default.copyItem(atPath: "/etc/resolv.conf", toPath: root.path + "/etc/resolv.conf.nnrun")
            defer { try? FileManager.default.removeItem(atPath: root.path + "/etc/resolv.conf.nnrun") }
            let script = "cp /etc/resolv.conf.nnrun /etc/resolv.conf && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends " + wanted
            let output = try run(["chroot", root.path, "/bin/sh", "-c", script])
            guard output.status == 0 else { throw ChrootFailure(message: "installing \(wanted) failed: " + output.stdout.suffix(2000) + output.stderr) }
            try wanted.write(to: installed, atomically: true, encoding: .utf8)
        }
        return root
    }

    func testTheStaticBinaryRunsTheJobInABareDebianWithTheImagesPackages() throws {
        guard getuid() == 0 else { throw missingTool("chroot needs root: run as root (CI does)") }
        guard try run(["debootstrap", "--version"]).status == 0 else {
            throw missingTool("debootstrap is needed to make a bare Debian userland: apt-get install debootstrap")
        }
        let stage = RuntimeStage(try String(contentsOf: Repository.file("Containerfile"), encoding: .utf8))
        XCTAssertEqual(stage.packages, ["libyaml-0-2"])

        // The build stage's command, into a scratch path of its own (the tests' build holds .build).
        let build = try run(["swift", "build", "-c", "release", "--product", "nnrun", "--static-swift-stdlib",
                             "--scratch-path", Repository.file(".build-static").path], in: Repository.root)
        XCTAssertEqual(build.status, 0, build.stdout.suffix(3000) + build.stderr)
        let binary = Repository.file(".build-static/release/nnrun")
        let libraries = try run(["ldd", binary.path]).stdout
        XCTAssertFalse(libraries.contains("libswift") || libraries.contains("libFoundation"), "the Swift runtime is linked in:\n" + libraries)

        let root = try chroot(packages: stage.packages)
        for copy in stage.copies {
            let source = copy.fromBuild ? binary : Repository.file(copy.from)
            XCTAssertTrue(!copy.fromBuild || copy.from == "/src/.build/release/nnrun", "the build stage's product is copied: \(copy.from)")
            let target = URL(fileURLWithPath: root.path + copy.to)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: target)
        }
        try? FileManager.default.removeItem(atPath: root.path + stage.workdir + "/specs/bench/data")

        // A container has /proc, and the binary needs it: with the Swift runtime linked in
        // statically, it reads its arguments from /proc/self/cmdline.
        let proc = root.path + "/proc"
        XCTAssertEqual(try run(["mount", "-t", "proc", "proc", proc]).status, 0, "mount /proc in the chroot")
        defer { _ = try? run(["umount", proc]) }

        // The Job's command, pod by pod, inside the image's userland; then the merge.
        let job = try String(contentsOf: Repository.file("examples/kubernetes/sweep-job.yaml"), encoding: .utf8)
        let lines = job.components(separatedBy: "\n")
        let argsStart = try XCTUnwrap(lines.firstIndex { $0.hasSuffix("- >-") })
        let command = lines[(argsStart + 1)...].prefix { $0.hasPrefix("              ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(command.hasPrefix("nnrun sweep specs/tutorial-sweep.yaml"), command)
        try? FileManager.default.removeItem(atPath: root.path + "/results")
        for index in 0..<4 {
            let pod = try run(["chroot", root.path, "/usr/bin/env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin",
                               "JOB_COMPLETION_INDEX=\(index)", "/bin/sh", "-c", "cd \(stage.workdir) && " + command])
            XCTAssertEqual(pod.status, 0, pod.stderr)
        }
        let merge = try run(["chroot", root.path, "/usr/local/bin/nnrun", "sweep", "merge",
                             "/results/shard-0", "/results/shard-1", "/results/shard-2", "/results/shard-3", "-o", "/results", "--quiet"])
        XCTAssertEqual(merge.status, 0, merge.stderr)

        // The same sweep by the nnrun under test, here: the same summary, bit for bit.
        let folder = try NnrunProcess.temporaryFolder()
        XCTAssertEqual(try NnrunProcess.run(["sweep", Repository.file("specs/tutorial-sweep.yaml").path, "-o", "all", "--quiet"], in: folder).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: root.path + "/results/summary.csv")),
                       try Data(contentsOf: folder.appendingPathComponent("all/summary.csv")))
    }
}
