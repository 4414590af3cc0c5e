import Foundation
import Results
import Running
import Sweeps

/// Runs a sweep's runs on `jobs` threads. Each run writes its spec and its results file
/// (exactly what `nnrun RUN.yaml -o RUN.results.json` writes); a failed or diverged run
/// is a row like any other and does not stop the rest.
enum SweepRunner {
    static func run(_ runs: [Sweep.Run], of expansion: SweepExpansion, into folder: String, jobs: Int,
                    memory: MemoryLimit, progress: (Int) -> Void) -> [SweepSummary.Row] {
        let digits = String(max(0, expansion.runs.count - 1)).count
        let queue = WorkQueue(count: runs.count)
        let workers = min(jobs, max(1, runs.count))
        // Runs side by side already keep the cores busy: each gets one thread for its
        // products (the results are the same bits with one thread or two).
        let kernels = workers > 1 ? KernelOptions(implementation: KernelOptions.best, threads: 1) : KernelOptions.automatic
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            Thread.detachNewThread {
                while let next = queue.next() {
                    let row = execute(runs[next], folder: folder, digits: digits, memory: memory, kernels: kernels)
                    queue.finish(next, row)
                }
                group.leave()
            }
        }
        while group.wait(timeout: .now() + 0.2) == .timedOut {
            progress(queue.doneCount)
        }
        progress(queue.doneCount)
        return queue.rows.compactMap { $0 }
    }

    private static func execute(_ run: Sweep.Run, folder: String, digits: Int, memory: MemoryLimit,
                                kernels: KernelOptions) -> SweepSummary.Row {
        let name = SweepExpansion.fileName(run, digits: digits)
        let specPath = folder + "/" + name + ".yaml"
        let resultsPath = folder + "/" + name + ".results.json"
        var row = SweepSummary.Row(index: run.index, id: run.id, values: run.values.map { ($0.name, $0.value) },
                                   status: "failed", steps: 0, finalLoss: nil, accuracy: nil, checks: nil,
                                   spec: name + ".yaml", results: name + ".results.json")
        if Interrupts.requested {
            row.status = "not run (interrupted)"
            return row
        }
        do {
            try AtomicFile.write(run.text, to: specPath)
            let result = try SpecRun(path: specPath, limit: memory, kernels: kernels)
            try AtomicFile.write(result.document().serializedBytes(), to: resultsPath)
            row.status = result.result.status.rawValue
            row.steps = result.result.steps
            row.finalLoss = result.result.final.loss
            row.accuracy = result.result.final.accuracy
            row.checks = SweepSummary.Checks(passed: result.checks.count - result.failedChecks,
                                             failures: result.checks.filter { !$0.passed }.map { $0.line(file: row.spec) })
        } catch {
            row.status = "failed"
        }
        return row
    }
}

/// Hands out run indices to worker threads and collects their rows.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int
    private(set) var rows: [SweepSummary.Row?]
    private(set) var doneCount = 0

    init(count: Int) {
        self.count = count
        self.rows = Array(repeating: nil, count: count)
    }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }

    func finish(_ index: Int, _ row: SweepSummary.Row) {
        lock.lock(); defer { lock.unlock() }
        rows[index] = row
        doneCount += 1
    }
}
