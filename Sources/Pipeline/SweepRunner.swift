import Foundation
import Results
import Running
import Sweeps

/// Runs a sweep's runs on `jobs` threads. Each run writes its spec and its results file
/// (exactly what `nnrun RUN.yaml -o RUN.results.json` writes); a failed or diverged run
/// is a row like any other and does not stop the rest. A run whose finished results file
/// is already in the folder (an interrupted sweep run again) is not trained again
/// (`FinishedRun`).
public enum SweepRunner {
    /// The rows of the runs, in the order given, and why each failed run failed.
    public struct Outcome {
        public var rows: [SweepSummary.Row]
        /// In run order; the spec names the run's own file.
        public var failures: [PipelineFailure]
    }

    /// `stopRequested` is asked between steps (a run stops, its results say `interrupted`)
    /// and before each run (a run not started is `not run (interrupted)`).
    public static func run(_ runs: [Sweep.Run], of expansion: SweepExpansion, into folder: String, jobs: Int,
                           memoryLimit: Int, stopRequested: @escaping @Sendable () -> Bool,
                           progress: (Int) -> Void) -> Outcome {
        let digits = String(max(0, expansion.runs.count - 1)).count
        let specFolder = URL(fileURLWithPath: expansion.path).deletingLastPathComponent().path
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
                    var run = runs[next]
                    run.text = RunSpecPaths.rebased(run.text, from: specFolder, to: folder)
                    let (row, failure) = execute(run, folder: folder, digits: digits, memoryLimit: memoryLimit,
                                                 kernels: kernels, stopRequested: stopRequested)
                    queue.finish(next, row, failure)
                }
                group.leave()
            }
        }
        while group.wait(timeout: .now() + 0.2) == .timedOut {
            progress(queue.doneCount)
        }
        progress(queue.doneCount)
        return Outcome(rows: queue.rows.compactMap { $0 }, failures: queue.failures.compactMap { $0 })
    }

    private static func execute(_ run: Sweep.Run, folder: String, digits: Int, memoryLimit: Int, kernels: KernelOptions,
                                stopRequested: @escaping () -> Bool) -> (SweepSummary.Row, PipelineFailure?) {
        let name = SweepExpansion.fileName(run, digits: digits)
        let specPath = folder + "/" + name + ".yaml"
        let resultsPath = folder + "/" + name + ".results.json"
        var row = SweepSummary.Row(index: run.index, id: run.id, values: run.values,
                                   status: "failed", steps: 0, finalLoss: nil, accuracy: nil, checks: nil,
                                   spec: name + ".yaml", results: name + ".results.json")
        if stopRequested() {
            row.status = "not run (interrupted)"
            return (row, nil)
        }
        // An earlier sweep into this folder finished the run: keep it (a rerun completes only what is missing).
        if let finished = FinishedRun.row(run, specPath: specPath, resultsPath: resultsPath, base: row) {
            return (finished, nil)
        }
        do throws(PipelineFailure) {
            do { try AtomicFile.write(run.text, to: specPath) } catch { throw .unwritable(error) }
            // The run's warnings were shown with the sweep's expansion, in the run's own text.
            let result = try PlannedSpec.load(specPath, memoryLimit: memoryLimit).run(kernels: kernels, stopRequested: stopRequested)
            do { try AtomicFile.write(result.document().serializedBytes(), to: resultsPath) } catch { throw .unwritable(error) }
            row.status = result.result.status.rawValue
            row.steps = result.result.steps
            row.finalLoss = result.result.final.loss
            row.accuracy = result.result.final.accuracy
            row.checks = SweepSummary.Checks(passed: result.checks.count - result.failedChecks,
                                             failures: result.checks.filter { !$0.passed }.map { $0.line(file: row.spec) })
        } catch {
            row.status = "failed"
            return (row, error)
        }
        return (row, nil)
    }
}

/// Hands out run indices to worker threads and collects their rows.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int
    private(set) var rows: [SweepSummary.Row?]
    private(set) var failures: [PipelineFailure?]
    private(set) var doneCount = 0

    init(count: Int) {
        self.count = count
        self.rows = Array(repeating: nil, count: count)
        self.failures = Array(repeating: nil, count: count)
    }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }

    func finish(_ index: Int, _ row: SweepSummary.Row, _ failure: PipelineFailure?) {
        lock.lock(); defer { lock.unlock() }
        rows[index] = row
        failures[index] = failure
        doneCount += 1
    }
}
