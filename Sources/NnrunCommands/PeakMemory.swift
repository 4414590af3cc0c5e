import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The peak memory of a training run, measured on a separate process so that it is that
/// run's alone: `nnrun run SPEC -o TEMP --quiet` with the same kernel options, its
/// maximum resident set size read from `wait4`'s resource usage.
enum PeakMemory {
    /// Bytes, or nil when the child could not be started or failed.
    static func ofRun(spec: String, overrides: Overrides, kernels: KernelChoice) -> Int? {
        #if os(Linux)
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        #else
        guard let executable = Bundle.main.executablePath else { return nil }
        #endif
        let output = NSTemporaryDirectory() + "nnrun-bench-\(getpid()).results.json"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let arguments = [executable, "run", spec, "-o", output, "--quiet"] + overrides.settings.flatMap { ["--set", $0] }
            + ["--kernel", kernels.kernel.rawValue] + (kernels.threadCount.map { ["--threads", "\($0)"] } ?? [])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, &argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 {
            guard errno == EINTR else { return nil }
        }
        // Exited normally with 0: WIFEXITED and WEXITSTATUS, spelled out (they are macros).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else { return nil }
        return Int(usage.ru_maxrss) * 1024  // Linux reports kilobytes
    }
}
