import CKernels
@testable import Running
import TestSupport
import XCTest

/// A batch mean divides each gradient sum by the batch size S; for a power of two the
/// runner multiplies by 1/S instead. Both are the correctly rounded value of the same real
/// number, so the bits must be equal to plain division for every value, subnormal results
/// and signed zeros included. Non-powers of two are divided.
final class MeanDivisionTests: XCTestCase {
    func testPowersOfTwoGiveTheBitsOfDivision() {
        var random = Lcg(seed: 11)
        let special: [Double] = [0, -0.0, 1, -1, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude,
                                 0x1p-1020 * 3, 0x1.fffffffffffffp-1000, Double.leastNormalMagnitude / 3, -.leastNonzeroMagnitude * 6071]
        let values = special + (0..<2000).map { index in random.next() * Double(sign: .plus, exponent: index % 2100 - 1070, significand: 1) }
        let kernels = [NN_KERNEL_GENERIC, NN_KERNEL_AVX2, NN_KERNEL_AVX512].filter { nn_kernel_available($0) != 0 }
        for kernel in kernels {
            for divisor in [1, 2, 3, 4, 5, 32, 100, 128, 1 << 20, (1 << 20) + 1, 1 << 52] {
                var x = values
                x.withUnsafeMutableBufferPointer { Workspace.divide($0.baseAddress!, count: $0.count, by: divisor, kernel: kernel) }
                let expected = values.map { $0 / Double(divisor) }
                let differing = zip(x, expected).filter { $0.bitPattern != $1.bitPattern }
                XCTAssertTrue(differing.isEmpty, "kernel \(kernel.rawValue), divisor \(divisor): \(differing.count) values differ, first \(differing.first.map { "\($0)" } ?? "")")
            }
        }
    }

    /// The scalar form (a loss or shared-bias mean), for every power of two up to 2^62.
    func testScalarMeanGivesTheBitsOfDivision() {
        var random = Lcg(seed: 12)
        let special: [Double] = [0, -0.0, 1, -1, .leastNonzeroMagnitude, .greatestFiniteMagnitude, Double.leastNormalMagnitude / 3, -.leastNonzeroMagnitude * 6071, .infinity]
        let values = special + (0..<500).map { index in random.next() * Double(sign: .plus, exponent: index % 2100 - 1070, significand: 1) }
        let divisors = (0...62).map { 1 << $0 } + [3, 5, 100, (1 << 20) + 1]
        for divisor in divisors {
            let differing = values.filter { Workspace.mean($0, of: divisor).bitPattern != ($0 / Double(divisor)).bitPattern }
            XCTAssertTrue(differing.isEmpty, "divisor \(divisor): \(differing.count) values differ, first \(differing.first.map { "\($0)" } ?? "")")
        }
        XCTAssertTrue(Workspace.mean(.nan, of: 4).isNaN)
    }
}
