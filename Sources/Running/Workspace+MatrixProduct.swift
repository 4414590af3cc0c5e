import CKernels

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
    /// On both threads when `splits` and the product is large enough; otherwise on the
    /// calling thread with the packing scratch of `part` (0 or 1: two products running at
    /// once on the two threads must use different scratch). The caller counts the
    /// multiply-adds (`Workspace.multiplyAdds`).
    func multiply(m: Int, n: Int, k: Int, _ a: MatrixOperand, _ b: MatrixOperand,
                  into c: UnsafeMutablePointer<Double>, ldc: Int, splits: Bool, part: Int = 0) {
        var product = nn_product(m: m, n: n, k: k, a: a.base, a_row: a.rowStride, a_col: a.columnStride,
                                 b: b.base, b_row: b.rowStride, b_col: b.columnStride, c: c, ldc: ldc)
        let kernel = kernels.cKernel
        if splits, m * n * k >= KernelOptions.parallelProduct, let scratch = kernelScratch {
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
        nn_gemm(kernel, &product, 0, n, kernelScratch.map { $0 + part * kernelScratchCount })
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
