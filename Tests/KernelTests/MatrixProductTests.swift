import CKernels
import TestSupport
import XCTest

/// `nn_gemm` computes C[i][j] = fma(A[i][k-1], B[k-1][j], ... fma(A[i][0], B[0][j], +0.0)).
/// These tests hold every kernel to that definition bit for bit, against a chain written
/// here with Swift's `addingProduct` (IEEE 754 fusedMultiplyAdd), independent of the C code.
final class MatrixProductTests: XCTestCase {
    /// The kernels this machine can run.
    private var kernels: [nn_kernel] {
        [NN_KERNEL_GENERIC, NN_KERNEL_AVX2, NN_KERNEL_AVX512].filter { nn_kernel_available($0) != 0 }
    }

    func testTheSumIsFusedNotRoundedAfterEachProduct() {
        // A = [-1, 1 + 2^-30], B = [1, 1 + 2^-30]^T. Exactly: -1 + (1 + 2^-29 + 2^-60) = 2^-29 + 2^-60,
        // which a Float64 holds. Rounding the product first loses the 2^-60: 2^-29.
        let e = 0x1p-30
        let a: [Double] = [-1, 1 + e], b: [Double] = [1, 1 + e]
        for kernel in kernels {
            var c = [Double.nan]
            product(kernel, m: 1, n: 1, k: 2, a, row: 2, column: 1, b, row: 1, column: 1, into: &c)
            XCTAssertEqual(c[0], 0x1p-29 + 0x1p-60, "kernel \(kernel.rawValue)")
            XCTAssertNotEqual(c[0], 0x1p-29, "kernel \(kernel.rawValue)")
        }
    }

    func testEveryKernelComputesTheFusedChainBitForBit() {
        // Shapes around the micro-kernels' 6x8 and 6x32 tiles, the packed blocks (192 rows,
        // 128 terms, 1024 columns) and the 4096-multiply-add threshold for packing.
        let shapes: [(m: Int, n: Int, k: Int)] = [
            (1, 1, 1), (1, 2, 2), (2, 2, 1), (5, 7, 3), (6, 8, 85), (12, 16, 40), (7, 9, 64), (13, 17, 300),
            (6, 32, 129), (7, 33, 128), (97, 33, 257), (193, 65, 131), (12, 1030, 5), (40, 24, 600), (25, 50, 130),
            (3, 5, 0),
            // The unpacked AVX-512 path's last row tile of every height (2, 3, 4 and 5 rows).
            (8, 40, 64), (9, 20, 30), (16, 128, 64), (11, 64, 16),
            // Tiny products (at most 16 terms) of every width up to 8, AVX-512's masked row path.
            (2, 8, 1), (1, 8, 2), (4, 4, 1), (1, 3, 5), (16, 1, 1), (3, 5, 1), (1, 7, 2), (2, 6, 1),
        ]
        var random = Lcg(seed: 42)
        for (m, n, k) in shapes {
            // Values of mixed sign and magnitude, so that rounding happens at every term.
            let a = (0..<(m * k)).map { _ in random.next() }
            let b = (0..<(k * n)).map { _ in random.next() }
            for transposedA in [false, true] {
                for transposedB in [false, true] {
                    let (aRow, aColumn) = transposedA ? (1, m) : (k, 1)
                    let (bRow, bColumn) = transposedB ? (1, k) : (n, 1)
                    var expected = [Double](repeating: 0, count: m * n)
                    for i in 0..<m {
                        for j in 0..<n {
                            var sum = 0.0
                            for p in 0..<k { sum = sum.addingProduct(a[i * aRow + p * aColumn], b[p * bRow + j * bColumn]) }
                            expected[i * n + j] = sum
                        }
                    }
                    for kernel in kernels {
                        var c = [Double](repeating: .nan, count: m * n)
                        product(kernel, m: m, n: n, k: k, a, row: aRow, column: aColumn, b, row: bRow, column: bColumn, into: &c)
                        XCTAssertEqual(zip(c, expected).filter { $0.bitPattern != $1.bitPattern }.count, 0,
                                       "kernel \(kernel.rawValue), \(m)x\(n)x\(k), transposed A \(transposedA), B \(transposedB)")
                        // Two column ranges, as two threads compute them.
                        var split = [Double](repeating: .nan, count: m * n)
                        let tile = Int(nn_gemm_column_tile())
                        let half = (n / 2 + tile - 1) / tile * tile
                        product(kernel, m: m, n: n, k: k, a, row: aRow, column: aColumn, b, row: bRow, column: bColumn,
                                into: &split, columns: 0..<min(half, n))
                        product(kernel, m: m, n: n, k: k, a, row: aRow, column: aColumn, b, row: bRow, column: bColumn,
                                into: &split, columns: min(half, n)..<n)
                        XCTAssertEqual(zip(split, expected).filter { $0.bitPattern != $1.bitPattern }.count, 0,
                                       "kernel \(kernel.rawValue) in two column ranges, \(m)x\(n)x\(k)")
                    }
                }
            }
        }
    }

    /// `nn_forward_tiny` is a tiny layer's product and bias in one call: per element the
    /// chain of fma(x[s][i], w[u][i], .) from +0.0, then one rounded addition of the bias
    /// (shared, per unit, or none), written here independently.
    func testTheTinyForwardIsTheChainPlusTheBias() {
        var random = Lcg(seed: 7)
        for (rows, inputs, units) in [(1, 2, 2), (1, 1, 1), (2, 2, 4), (4, 2, 2), (1, 16, 1), (2, 1, 3), (1, 0, 3)] {
            let x = (0..<(rows * inputs)).map { _ in random.next() }
            let w = (0..<(units * inputs)).map { _ in random.next() }
            let bias = (0..<units).map { _ in random.next() }
            for biasCount in Set([0, 1, units]) {
                var expected = [Double](repeating: 0, count: rows * units)
                for s in 0..<rows {
                    for u in 0..<units {
                        var sum = 0.0
                        for i in 0..<inputs { sum = sum.addingProduct(x[s * inputs + i], w[u * inputs + i]) }
                        if biasCount == 1 { sum += bias[0] } else if biasCount == units { sum += bias[u] }
                        expected[s * units + u] = sum
                    }
                }
                for kernel in kernels {
                    var net = [Double](repeating: .nan, count: rows * units)
                    nn_forward_tiny(kernel, x, w, bias, biasCount, rows, inputs, units, &net)
                    XCTAssertEqual(zip(net, expected).filter { $0.bitPattern != $1.bitPattern }.count, 0,
                                   "kernel \(kernel.rawValue), \(rows) rows x \(inputs) inputs x \(units) units, bias count \(biasCount)")
                }
            }
        }
    }

    func testTheBestKernelIsTheWidestTheCpuReports() throws {
        let flags = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("flags") }.map { Set($0.split(separator: " ")) } ?? []
        let expected = flags.contains("avx512f") ? NN_KERNEL_AVX512
            : flags.contains("avx2") && flags.contains("fma") ? NN_KERNEL_AVX2 : NN_KERNEL_GENERIC
        XCTAssertEqual(nn_kernel_best(), expected)
    }

    private func product(_ kernel: nn_kernel, m: Int, n: Int, k: Int,
                         _ a: [Double], row aRow: Int, column aColumn: Int,
                         _ b: [Double], row bRow: Int, column bColumn: Int,
                         into c: inout [Double], columns: Range<Int>? = nil) {
        let columns = columns ?? 0..<n
        var scratch = [Double](repeating: .nan, count: nn_gemm_scratch_count())
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                        var product = nn_product(m: m, n: n, k: k, a: a.baseAddress, a_row: aRow, a_col: aColumn,
                                                 b: b.baseAddress, b_row: bRow, b_col: bColumn, c: c.baseAddress, ldc: n)
                        nn_gemm(kernel, &product, columns.lowerBound, columns.upperBound, scratch.baseAddress)
                    }
                }
            }
        }
    }
}
