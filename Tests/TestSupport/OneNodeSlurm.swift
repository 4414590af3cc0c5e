import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-node Slurm cluster started by a test: munged, slurmctld and slurmd from Debian's
/// `munge` and `slurm-wlm`, run in the foreground as child processes with everything
/// (munge key and socket, slurm.conf, state, spool, logs) in a scratch folder, and stopped
/// by their process ids. Commands (`sbatch`, `squeue`, ...) reach it through `SLURM_CONF`.
public final class OneNodeSlurm {
    public let folder: URL
    public let configuration: URL
    private var daemons: [(name: String, pid: pid_t)] = []

    /// The programs the cluster needs; a test throws `missingTool` when one is absent.
    public static let programs = ["munged", "munge", "slurmctld", "slurmd", "sbatch", "srun", "sinfo", "squeue", "scancel", "scontrol"]

    public static var missingPrograms: [String] {
        programs.filter { name in
            !(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/sbin").split(separator: ":").contains {
                FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
            }
        }
    }

    /// Writes the configuration and starts the daemons; waits until the node is idle.
    public init() throws {
        folder = try NnrunProcess.temporaryFolder()
        configuration = folder.appendingPathComponent("slurm.conf")
        do {
            try start()
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// The environment for Slurm's commands: this process's, with `SLURM_CONF` and `extra`.
    public func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SLURM_CONF"] = configuration.path
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// Runs a Slurm command (`sbatch`, `squeue`, ...) in `folder` with `environment`.
    @discardableResult
    public func command(_ arguments: [String], in folder: URL? = nil, environment extra: [String: String] = [:]) throws -> NnrunProcess.Output {
        try NnrunProcess.run(arguments, in: folder, executable: URL(fileURLWithPath: "/usr/bin/env"), environment: environment(extra))
    }

    /// Waits until none of the jobs is in the queue (finished, failed or cancelled). A job
    /// left waiting on one that failed (`afterok` never satisfied) is a failure at once,
    /// reported with the jobs' output files (`*.out`) found in `logs`.
    public func waitForJobs(_ ids: [String], logs: URL, timeout: TimeInterval = 180) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let queue = try command(["squeue", "-h", "-o", "%i %T %r", "-j", ids.joined(separator: ",")])
            let lines = queue.stdout.split(separator: "\n")
            if queue.status == 0 && lines.isEmpty { return }
            if let stuck = lines.first(where: { $0.hasSuffix("DependencyNeverSatisfied") }) {
                throw Failure(message: "job \(stuck): a job it depends on failed; \(outputs(logs))")
            }
            Thread.sleep(forTimeInterval: 0.3)
        }
        throw Failure(message: "jobs \(ids) still queued after \(Int(timeout)) s; \(outputs(logs))\n\(log)")
    }

    /// The jobs' output files in `folder`, each with its last lines.
    private func outputs(_ folder: URL) -> String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".out") }.sorted()
        return names.map { name in
            let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return "\(name):\n" + text.split(separator: "\n").suffix(5).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// The controller's and the node daemon's logs, for a failure message.
    public var log: String {
        ["slurmctld.log", "slurmd.log"].map { name in
            let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return "\(name):\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private func start() throws {
        let path = folder.path
        // munge: a random 1024-byte key readable only by its owner, a private socket.
        let key = folder.appendingPathComponent("munge.key")
        var random = SystemRandomNumberGenerator()
        try Data((0..<1024).map { _ in UInt8.random(in: 0...255, using: &random) }).write(to: key)
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: key.path)
        for sub in ["munge", "state", "spool"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let socket = path + "/munge/munge.socket"
        try launch("munged", ["--foreground", "--force", "--key-file=\(key.path)", "--socket=\(socket)",
                              "--pid-file=\(path)/munge/munged.pid", "--log-file=\(path)/munge/munged.log",
                              "--seed-file=\(path)/munge/munged.seed"])
        try waitFor("munged's socket") { FileManager.default.fileExists(atPath: socket) }

        // Ports of their own, so that another cluster on this machine does not answer.
        let port = 20000 + Int(getpid() % 10000) * 2
        // The node's name must be the short host name, as slurmd finds itself by it (`hostname -s`).
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count - 1)
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .split(separator: ".").first.map(String.init) ?? "localhost"
        let conf = """
            ClusterName=nnrun-test
            SlurmctldHost=\(host)
            SlurmctldPort=\(port)
            SlurmdPort=\(port + 1)
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket=\(socket)
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            MpiDefault=none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            StateSaveLocation=\(path)/state
            SlurmdSpoolDir=\(path)/spool
            SlurmctldPidFile=\(path)/slurmctld.pid
            SlurmdPidFile=\(path)/slurmd.pid
            SlurmctldLogFile=\(path)/slurmctld.log
            SlurmdLogFile=\(path)/slurmd.log
            ReturnToService=2
            SchedulerType=sched/backfill
            SchedulerParameters=sched_interval=1
            KillWait=2
            InactiveLimit=0
            MinJobAge=300
            NodeName=\(host) CPUs=2 RealMemory=1000 State=UNKNOWN
            PartitionName=debug Nodes=\(host) Default=YES MaxTime=INFINITE State=UP

            """
        try conf.write(to: configuration, atomically: true, encoding: .utf8)
        try launch("slurmctld", ["-D", "-f", configuration.path])
        try launch("slurmd", ["-D", "-f", configuration.path])
        try waitFor("the node to be idle") {
            let info = try? self.command(["sinfo", "-h", "-o", "%T"])
            return info?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "idle"
        }
    }

    /// Starts a daemon in the foreground as a child, its output in `NAME.out`. Spawned
    /// directly rather than through Foundation's Process: with long-lived children from
    /// Process alive, a later Process (sinfo) was never reaped and its wait hung.
    private func launch(_ name: String, _ arguments: [String]) throws {
        let argv = ["/usr/bin/env", name] + arguments
        let environ = environment().map { "\($0.key)=\($0.value)" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let output = folder.appendingPathComponent(name + ".out").path
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let status = withCStrings(argv) { argvPointers in
            withCStrings(environ) { environPointers in
                posix_spawn(&pid, argv[0], &actions, nil, argvPointers, environPointers)
            }
        }
        guard status == 0 else { throw Failure(message: "cannot start \(name): \(String(cString: strerror(status)))") }
        daemons.append((name, pid))
    }

    private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress.unsafelyUnwrapped) }
    }

    /// Whether the daemon has exited (reaping it if so).
    private func exited(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    private func waitFor(_ what: String, timeout: TimeInterval = 30, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            if let dead = daemons.first(where: { exited($0.pid) }) {
                daemons.removeAll { $0.pid == dead.pid }
                throw Failure(message: "\(dead.name) exited while waiting for \(what); \(log)")
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw Failure(message: "timed out waiting for \(what); \(log)")
    }

    /// SIGTERM to each daemon by its process id, last started first; SIGKILL to one that
    /// has not exited after 10 s.
    public func stop() {
        for (_, pid) in daemons.reversed() {
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            var gone = exited(pid)
            while !gone && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                gone = exited(pid)
            }
            if !gone {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
        }
        daemons = []
    }
}
