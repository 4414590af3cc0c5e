import ArgumentParser
import Running

/// `--kernel` and `--threads`: how matrix products are computed. Every choice gives
/// bit-identical results (Docs/performance.md); they exist to measure and to check that.
struct KernelChoice: ParsableArguments {
    enum Name: String, ExpressibleByArgument, CaseIterable {
        case auto, avx2, generic
    }

    @Option(help: ArgumentHelp("Matrix-product kernel: auto (the fastest this CPU runs), avx2 or generic. All give the same bits.",
                               valueName: "name"))
    var kernel: Name = .auto

    @Option(help: ArgumentHelp("Threads for large matrix products (1 or 2); the results do not depend on it.", valueName: "n"))
    var threads: Int = KernelOptions.automatic.threads

    func validate() throws {
        guard (1...KernelOptions.maxThreads).contains(threads) else {
            throw ValidationError("--threads must be 1 or \(KernelOptions.maxThreads), not \(threads)")
        }
        if kernel == .avx2 && !KernelOptions.isAvailable(.avx2) {
            throw ValidationError("--kernel avx2 needs a CPU with AVX2 and FMA3; this one has neither or not both. Use --kernel auto or generic.")
        }
    }

    var options: KernelOptions {
        switch kernel {
        case .auto: KernelOptions(implementation: KernelOptions.best, threads: threads)
        case .avx2: KernelOptions(implementation: .avx2, threads: threads)
        case .generic: KernelOptions(implementation: .generic, threads: threads)
        }
    }
}
