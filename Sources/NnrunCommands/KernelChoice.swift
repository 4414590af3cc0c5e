import ArgumentParser
import Planning
import Running

/// `--kernel` and `--threads`: how matrix products are computed. Every choice gives
/// bit-identical results (Docs/performance.md); they exist to measure and to check that.
struct KernelChoice: ParsableArguments {
    enum Name: String, ExpressibleByArgument, CaseIterable {
        case auto, avx512, avx2, generic

        // What argument-parser's defaults give (the raw values; no descriptions, as each
        // value's description is its raw value), without the key path they build at run
        // time while every command's arguments are parsed (Docs/performance.md, "Round 2 (issue #21)").
        static var allValueStrings: [String] { allCases.map { $0.rawValue } }
        static var allValueDescriptions: [String: String] { [:] }
    }

    @Option(help: ArgumentHelp("Matrix-product kernel: auto (the fastest this CPU runs), avx512, avx2 or generic. All give the same bits.",
                               valueName: "name"))
    var kernel: Name = .auto

    @Option(name: .customLong("threads"),
            help: ArgumentHelp("Threads, 1 or 2 (default: 2 when two CPUs are free, each step on one or two, whichever is timed faster). The results do not depend on it.",
                               valueName: "n"))
    var threadCount: Int?

    /// The count given, or the automatic one.
    var threads: Int { threadCount ?? KernelOptions.automatic.threads }

    func validate() throws {
        guard (1...Planner.kernelThreads).contains(threads) else {
            throw ValidationError("--threads must be 1 or \(Planner.kernelThreads), not \(threads)")
        }
        if let implementation = KernelOptions.Implementation(rawValue: kernel.rawValue), !KernelOptions.isAvailable(implementation) {
            throw ValidationError("--kernel \(kernel.rawValue) is not supported by this CPU (it needs \(kernel == .avx512 ? "AVX-512F" : "AVX2 and FMA3")). Use --kernel auto, which picks the fastest available, or generic.")
        }
    }

    var options: KernelOptions {
        KernelOptions(implementation: KernelOptions.Implementation(rawValue: kernel.rawValue) ?? KernelOptions.best,
                      threads: threads, adaptsThreads: threadCount == nil)
    }
}
