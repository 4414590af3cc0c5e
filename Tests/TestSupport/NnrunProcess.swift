import Foundation

/// Runs the built `nnrun` executable as a user would, capturing what it prints.
public enum NnrunProcess {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// The process ran past the `timeout` given and was stopped.
        public var timedOut = false
        /// It ended by a signal (`status` is the signal): a crash, a trap, or the stop above.
        public var signalled = false
        /// User and system CPU seconds it used: the growth of this process's reaped
        /// children's (`getrusage`), so only meaningful while tests start one child at a time.
        public var cpuSeconds: TimeInterval = 0
    }

    /// The folder SwiftPM builds products into (`.build/<config>`): the test bundle's own folder.
    public static var executable: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("nnrun")
        }
        #endif
        return Bundle.main.bundleURL.appendingPathComponent("nnrun")
    }

    @discardableResult
    public static func run(_ arguments: [String], in folder: URL? = nil, executable: URL? = nil,
                           environment: [String: String]? = nil, timeout: TimeInterval? = nil) throws -> Output {
        // Output goes to files, not pipes: a large output cannot block the child.
        let scratch = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable ?? self.executable
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        if let environment { process.environment = environment }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let cpuBefore = childrenCPUSeconds()
        try process.run()
        var timedOut = false
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
            if process.isRunning {
                // Stopped by its own process id: asked first (torchrun then stops its workers), then killed.
                timedOut = true
                kill(process.processIdentifier, SIGTERM)
                let grace = Date().addingTimeInterval(5)
                while process.isRunning && Date() < grace { Thread.sleep(forTimeInterval: 0.05) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
        }
        process.waitUntilExit()
        let cpuSeconds = childrenCPUSeconds() - cpuBefore
        try out.close()
        try err.close()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self), timedOut: timedOut,
                      signalled: process.terminationReason == .uncaughtSignal, cpuSeconds: cpuSeconds)
    }

    /// User and system CPU seconds of this process's terminated, reaped children.
    static func childrenCPUSeconds() -> TimeInterval {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)   // an enum in Glibc
        #else
        getrusage(RUSAGE_CHILDREN, &usage)
        #endif
        func seconds(_ time: timeval) -> TimeInterval { TimeInterval(time.tv_sec) + TimeInterval(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// A fresh empty folder under the system's temporary folder.
    public static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnrun-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
