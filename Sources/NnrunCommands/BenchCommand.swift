import ArgumentParser
import Foundation
import Pipeline
import Planning
import Results
import Running

/// `nnrun bench SPEC...`: how fast training runs. Each spec is compiled and planned once,
/// trained `--warmup` times untimed and `--runs` times timed (planning and writing
/// excluded); the median is reported. Peak memory is the maximum resident size of a
/// separate `nnrun run SPEC` process, next to the planner's estimate.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time training of specs: median per-step time, GFLOP/s and peak memory.",
        discussion: """
            Build for release first (swift build -c release; .build/release/nnrun bench ...): a debug \
            build is an order of magnitude slower and says so. GFLOP/s counts 2 m n k per matrix \
            product of the run (evaluations included); element-wise work is not counted. \
            See Docs/performance.md.
            """)

    @Argument(help: "Spec files to time.", completion: .specFile)
    var specs: [String]

    @Option(help: "Timed runs per spec (the median is reported).")
    var runs = 5

    @Option(help: "Untimed runs per spec before the timed ones.")
    var warmup = 1

    @Flag(help: "Print the measurements as JSON (format nnrun.bench/1) instead of a table.")
    var json = false

    @Flag(help: "Skip the peak-memory measurement (a separate `nnrun run` process per spec).")
    var noMemory = false

    @OptionGroup var kernels: KernelChoice

    @OptionGroup var memory: MemoryLimit

    @OptionGroup var overrides: Overrides

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more") }
    }

    func run() throws {
        if Self.build == "debug" {
            Terminal.error("warning: this is a debug build; times are not representative. Run: swift build -c release && .build/release/nnrun bench ...")
        }
        let options = kernels.options
        // Peak memory first, while this process is still small: a spawned child's maximum
        // resident size counts its parent's at the moment of exec (Linux), which would
        // otherwise be the largest workload timed so far.
        let peaks = specs.map { noMemory ? nil : PeakMemory.ofRun(spec: $0, overrides: overrides, kernels: kernels) }
        var measurements: [BenchMeasurement] = []
        for (path, peak) in zip(specs, peaks) {
            let planned = try PlannedSpec.load(path, overrides: overrides.list, memoryLimit: memory.bytes, warnings: { $0.printWarnings() })
            let plan = planned.plan
            for _ in 0..<warmup { _ = Runner.run(plan, kernels: options) }
            var seconds: [Double] = []
            var result: TrainingResult?
            for _ in 0..<runs {
                let started = ContinuousClock.now
                result = Runner.run(plan, kernels: options)
                seconds.append((ContinuousClock.now - started).seconds)
            }
            let steps = result?.steps ?? 0
            measurements.append(BenchMeasurement(
                spec: path, name: planned.spec.name, steps: steps, seconds: seconds,
                multiplyAdds: result?.multiplyAdds ?? 0, plannedBytes: plan.memory.totalBytes,
                peakBytes: peak))
        }
        if json {
            Terminal.out(report(measurements, options).serialized())
        } else {
            Terminal.out(table(measurements, options))
        }
    }

    static var build: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    private func report(_ measurements: [BenchMeasurement], _ options: KernelOptions) -> JSONValue {
        .object([
            ("format", .string("nnrun.bench/1")),
            ("build", .string(Self.build)),
            ("kernels", .string(options.implementation.rawValue)),
            ("threads", .integer(options.threads)),
            // Two threads without --threads: each step on one or two, whichever is timed faster.
            ("threads_chosen_by_timing", .bool(options.adaptsThreads)),
            ("runs", .integer(runs)),
            ("warmup", .integer(warmup)),
            ("workloads", .array(measurements.map { m in
                .object([
                    ("spec", .string(m.spec)),
                    ("name", .string(m.name)),
                    ("steps", .integer(m.steps)),
                    ("flops_per_step", .number(m.flopsPerStep)),
                    ("train_seconds", .array(m.seconds.map { .number($0) })),
                    ("median_train_seconds", .number(m.medianSeconds)),
                    ("median_step_seconds", .number(m.medianStepSeconds)),
                    ("gflops", .number(m.gflops)),
                    ("peak_memory_bytes", m.peakBytes.map { .integer($0) } ?? .null),
                    ("planned_memory_bytes", .integer(m.plannedBytes)),
                ])
            })),
        ])
    }

    private func table(_ measurements: [BenchMeasurement], _ options: KernelOptions) -> String {
        let threads = options.adaptsThreads ? "up to \(options.threads) threads (chosen by timing the steps)" : "\(options.threads) thread(s)"
        var lines = ["\(Self.build) build, kernel \(options.implementation.rawValue), \(threads), "
                     + "median of \(runs) run(s) after \(warmup) warm-up"]
        let header = ["spec", "steps", "train", "per step", "GFLOP/s", "peak memory", "planned"]
        let rows = measurements.map { m in
            [m.spec, "\(m.steps)", Self.duration(m.medianSeconds), Self.duration(m.medianStepSeconds),
             String(format: "%.2f", m.gflops), m.peakBytes.map(MemoryEstimate.bytes) ?? "-", MemoryEstimate.bytes(m.plannedBytes)]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            lines.append(row.indices.map { column in
                let cell = row[column]
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    /// `12.3 ms`, `0.153 µs`: three significant digits in a unit that keeps them readable.
    static func duration(_ seconds: Double) -> String {
        let scaled: [(Double, String)] = [(1, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns")]
        let (scale, unit) = scaled.first { seconds >= $0.0 } ?? scaled[scaled.count - 1]
        return String(format: "%.3g", seconds / scale) + " " + unit
    }
}

/// One spec's timings.
struct BenchMeasurement {
    var spec: String
    var name: String
    var steps: Int
    var seconds: [Double]
    var multiplyAdds: Int
    var plannedBytes: Int
    var peakBytes: Int?

    /// The middle value (the mean of the two middle ones for an even count).
    var medianSeconds: Double {
        let sorted = seconds.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    var medianStepSeconds: Double { steps > 0 ? medianSeconds / Double(steps) : 0 }
    var flopsPerStep: Double { steps > 0 ? 2 * Double(multiplyAdds) / Double(steps) : 0 }
    var gflops: Double { medianSeconds > 0 ? 2 * Double(multiplyAdds) / medianSeconds / 1e9 : 0 }
}
