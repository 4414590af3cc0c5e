import CKernels
import Foundation
import Planning

/// How the matrix products of a run are computed. Every choice gives bit-identical
/// results (see `Workspace.multiply`); they differ only in speed.
public struct KernelOptions: Sendable, Equatable {
    public enum Implementation: String, Sendable, CaseIterable {
        /// Portable loops, one libm `fma` per multiply-add: the reference.
        case generic
        /// AVX2 + FMA3 micro-kernels; only offered when the CPU and OS support them.
        case avx2
        /// AVX-512F micro-kernels; likewise.
        case avx512
    }

    public var implementation: Implementation
    /// Threads for large products (1 or 2): the output columns are split between them.
    public var threads: Int

    /// Whether small networks take the fused path (`DenseStep`: the evaluation and update
    /// operations in one C call each). The same bits either way; false forces the general
    /// path, for the tests that compare the two and for measuring. Default: true, unless the
    /// environment variable `NNRUN_GENERAL_STEP` is set (to anything).
    public var fusedSteps: Bool
    /// With two threads: whether a run times its steps on one thread and on two and keeps
    /// what is faster now (`ThreadChoice`), instead of always splitting. The same bits
    /// either way. True for `automatic` (no `--threads` given); false when the count is chosen.
    public var adaptsThreads: Bool

    public init(implementation: Implementation, threads: Int, fusedSteps: Bool = KernelOptions.fusedStepsByDefault,
                adaptsThreads: Bool = false) {
        self.implementation = implementation
        self.threads = max(1, min(threads, Planner.kernelThreads))
        self.fusedSteps = fusedSteps
        self.adaptsThreads = adaptsThreads && self.threads > 1
    }

    /// true unless `NNRUN_GENERAL_STEP` is set (see `fusedSteps`).
    public static var fusedStepsByDefault: Bool {
        // getenv, not ProcessInfo's environment, which copies every variable into a dictionary.
        getenv("NNRUN_GENERAL_STEP") == nil
    }

    /// The fastest implementation this CPU runs, on up to two threads: one when the process
    /// may use only one CPU (Foundation's count ignores the affinity mask `taskset` sets).
    /// Found once a process: Foundation's count reads the control group's CPU quota from
    /// files, and the default of `--threads` asks for it every time argument-parser makes the
    /// command's arguments, several times a parse.
    public static let automatic: KernelOptions = {
        let cpus = min(ProcessInfo.processInfo.activeProcessorCount, Int(nn_available_cpus()))
        return KernelOptions(implementation: best, threads: min(Planner.kernelThreads, cpus), adaptsThreads: true)
    }()

    /// What `nn_kernel_best()` finds on this CPU.
    public static var best: Implementation {
        Implementation.allCases.first { $0.cKernel == nn_kernel_best() } ?? .generic
    }

    /// Whether this machine can run `implementation`.
    public static func isAvailable(_ implementation: Implementation) -> Bool {
        nn_kernel_available(implementation.cKernel) != 0
    }

    /// Products with fewer multiply-adds than this run on one thread: below it, handing
    /// half to the second thread costs about what the half takes (Docs/performance.md,
    /// "Two threads").
    static let parallelProduct = 1 << 16

    /// The micro-kernel's width: a thread's share of the columns is a multiple of it.
    static let columnTile = Int(nn_gemm_column_tile())

    /// The micro-kernel's height: a thread's share of the rows is a multiple of it.
    static let rowTile = Int(nn_gemm_row_tile())

    var cKernel: nn_kernel { implementation.cKernel }
}

extension KernelOptions.Implementation {
    var cKernel: nn_kernel {
        switch self {
        case .generic: NN_KERNEL_GENERIC
        case .avx2: NN_KERNEL_AVX2
        case .avx512: NN_KERNEL_AVX512
        }
    }
}
