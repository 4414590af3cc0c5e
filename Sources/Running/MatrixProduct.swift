import CKernels
import Foundation

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

    public init(implementation: Implementation, threads: Int) {
        self.implementation = implementation
        self.threads = max(1, min(threads, KernelOptions.maxThreads))
    }

    /// The fastest implementation this CPU runs, on up to two threads: one when the process
    /// may use only one CPU (Foundation's count ignores the affinity mask `taskset` sets).
    public static var automatic: KernelOptions {
        let cpus = min(ProcessInfo.processInfo.activeProcessorCount, Int(nn_available_cpus()))
        return KernelOptions(implementation: best, threads: min(maxThreads, cpus))
    }

    /// What `nn_kernel_best()` finds on this CPU.
    public static var best: Implementation {
        Implementation.allCases.first { $0.cKernel == nn_kernel_best() } ?? .generic
    }

    /// Whether this machine can run `implementation`.
    public static func isAvailable(_ implementation: Implementation) -> Bool {
        nn_kernel_available(implementation.cKernel) != 0
    }

    /// The planner sizes kernel scratch for this many threads.
    public static let maxThreads = 2

    /// Products with fewer multiply-adds than this run on one thread: below it, handing
    /// half to the second thread costs about what the half takes. (Measured with the
    /// team's spinning worker: w3, whose largest products are 262,144 multiply-adds, gained
    /// from 2^16 together with the split of its Adam update; 2^14 changed nothing.)
    static let parallelThreshold = 1 << 16

    /// Products of at most this many multiply-adds are tiny: a layer's forward product and
    /// bias then take one call (`nn_forward_tiny`).
    static var tinyProduct: Int { Int(NN_GEMM_TINY_PRODUCT) }

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

/// A matrix operand in a buffer: element (r, c) is at `base[r * rowStride + c * columnStride]`.
/// Strides let one product read a buffer as its transpose without copying.
struct MatrixOperand {
    var base: UnsafePointer<Double>
    var rowStride: Int
    var columnStride: Int
}

extension Workspace {
    /// C = A B, A (m, k), B (k, n), C row-major with row stride `ldc`:
    ///
    ///     C[i][j] = fma(A[i][k-1], B[k-1][j], ... fma(A[i][0], B[0][j], +0.0))
    ///
    /// one fused multiply-add per term, in index order, whatever the kernel or thread count.
    func multiply(m: Int, n: Int, k: Int, _ a: MatrixOperand, _ b: MatrixOperand,
                  into c: UnsafeMutablePointer<Double>, ldc: Int) {
        multiplyAdds &+= m * n * k
        var product = nn_product(m: m, n: n, k: k, a: a.base, a_row: a.rowStride, a_col: a.columnStride,
                                 b: b.base, b_row: b.rowStride, b_col: b.columnStride, c: c, ldc: ldc)
        let kernel = kernels.cKernel
        if kernels.threads > 1, m * n * k >= KernelOptions.parallelThreshold, let scratch = kernelScratch {
            // Two threads, each with its own scratch: split the columns on a tile boundary
            // (each thread packs all of A and its half of B) or, for an output too narrow
            // for two tiles (a softmax layer of 10 units), the rows.
            let parts = ProductParts(kernel: kernel, product: product, scratch: scratch, scratchCount: kernelScratchCount)
            if n >= 2 * KernelOptions.columnTile {
                team.inTwoHalves(of: n, granule: KernelOptions.columnTile) { columns in parts.run(columns: columns) }
                return
            }
            if m >= 2 * KernelOptions.rowTile {
                team.inTwoHalves(of: m, granule: KernelOptions.rowTile) { rows in parts.run(rows: rows) }
                return
            }
        }
        nn_gemm(kernel, &product, 0, n, kernelScratch)
    }
}

/// One product computed in two parts on two threads, by output columns or by rows; each
/// element's chain is the same either way. The first part (starting at 0) uses the first
/// thread's scratch, the second the second's. The parts write disjoint parts of C and use
/// disjoint scratch, and only read A and B.
private struct ProductParts {
    let kernel: nn_kernel
    let product: nn_product
    let scratch: UnsafeMutablePointer<Double>
    let scratchCount: Int

    private func scratch(startingAt start: Int) -> UnsafeMutablePointer<Double> {
        start == 0 ? scratch : scratch + scratchCount
    }

    func run(columns: Range<Int>) {
        var product = product
        nn_gemm(kernel, &product, columns.lowerBound, columns.upperBound, scratch(startingAt: columns.lowerBound))
    }

    func run(rows: Range<Int>) {
        var product = product
        product.m = rows.count
        product.a = product.a.map { $0 + rows.lowerBound * product.a_row }
        product.c = product.c.map { $0 + rows.lowerBound * product.ldc }
        nn_gemm(kernel, &product, 0, product.n, scratch(startingAt: rows.lowerBound))
    }
}
