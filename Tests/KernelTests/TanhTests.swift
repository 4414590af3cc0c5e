import CKernels
import Foundation
import TestSupport
import XCTest

/// nnrun's own tanh (CKernels/tanh.c): accurate, and the same bits from every kernel.
final class TanhTests: XCTestCase {
    private var kernels: [nn_kernel] {
        [NN_KERNEL_GENERIC, NN_KERNEL_AVX2, NN_KERNEL_AVX512].filter { nn_kernel_available($0) != 0 }
    }

    /// Correctly rounded tanh from mpmath at 120 bits:
    /// `python3 -c "import mpmath; mpmath.mp.prec=120; print(float.hex(float(mpmath.tanh(mpmath.mpf(x)))))"`.
    func testWithinTwoUlpOfTheCorrectlyRoundedValue() {
        let references: [(x: Double, tanh: Double)] = [
            (0.5, 0x1.d9353d7568af3p-2), (1e-8, 0x1.5798ee2308c3ap-27), (3.0, 0x1.fd77d111a0b00p-1),
            (-0.25, -0x1.f597ea69a1c86p-3), (0.1, 0x1.983d7795f413ap-4), (1.0, 0x1.85efab514f394p-1),
            (2.5, 0x1.f9258260a71c2p-1), (10.0, 0x1.ffffffdc96f35p-1), (19.0, 0x1.fffffffffffffp-1),
            (0.0001, 0x1.a36e2e9a4f662p-14), (0.7, 0x1.356fb17af2e91p-1), (.leastNonzeroMagnitude, .leastNonzeroMagnitude),
        ]
        for (x, expected) in references {
            XCTAssertLessThanOrEqual(ulps(nn_tanh_value(x), expected), 2, "tanh(\(x))")
        }
    }

    func testWithinFourUlpOfTheC_LibrarysTanhEverywhere() {
        // libm's tanh is itself within 2 ulp; between the two, at most 4.
        var x = -25.0
        while x < 25 {
            XCTAssertLessThanOrEqual(ulps(nn_tanh_value(x), Foundation.tanh(x)), 4, "tanh(\(x))")
            x += 0.000_731
        }
        for exponent in -1074...5 {
            let x = Double(sign: .plus, exponent: exponent, significand: 1.3)
            XCTAssertLessThanOrEqual(ulps(nn_tanh_value(x), Foundation.tanh(x)), 4, "tanh(\(x))")
        }
    }

    func testSpecialValues() {
        XCTAssertEqual(nn_tanh_value(0).bitPattern, (0.0).bitPattern)
        XCTAssertEqual(nn_tanh_value(-0.0).bitPattern, (-0.0).bitPattern)
        XCTAssertEqual(nn_tanh_value(.infinity), 1)
        XCTAssertEqual(nn_tanh_value(-.infinity), -1)
        XCTAssertEqual(nn_tanh_value(1e300), 1)
        XCTAssertTrue(nn_tanh_value(.nan).isNaN)
        XCTAssertEqual(nn_tanh_value(-Double.leastNonzeroMagnitude), -Double.leastNonzeroMagnitude)
    }

    func testEveryKernelGivesTheSameBitsAsTheScalarFunction() {
        var random = Lcg(seed: 5)
        var inputs: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 1e300, -0x1p-1030, .leastNonzeroMagnitude, 22, -22, 21.99, 0.34657359]
        for _ in 0..<5000 { inputs.append(random.next() * 8) }                    // [-32, 32)
        for _ in 0..<2000 { inputs.append(random.next() * 1e-6) }
        let expected = inputs.map { nn_tanh_value($0) }
        for kernel in kernels {
            // Odd lengths: the vector loops' scalar tails are exercised too.
            for count in [inputs.count, inputs.count - 3, 7] {
                var out = [Double](repeating: 0, count: count), slope = out
                nn_tanh(kernel, inputs, &out, &slope, count)
                let wrongValues = zip(out, expected).filter { $0.bitPattern != $1.bitPattern }.count
                let wrongSlopes = zip(slope, expected).filter { $0.bitPattern != (1 - $1 * $1).bitPattern }.count
                XCTAssertEqual(wrongValues, 0, "kernel \(kernel.rawValue), \(count) values")
                XCTAssertEqual(wrongSlopes, 0, "kernel \(kernel.rawValue), \(count) values: slope 1 - t^2")
            }
        }
    }

    /// Distance in units in the last place (same sign assumed; 0 for equal values).
    private func ulps(_ a: Double, _ b: Double) -> UInt64 {
        let x = Int64(bitPattern: a.bitPattern), y = Int64(bitPattern: b.bitPattern)
        return x > y ? UInt64(x - y) : UInt64(y - x)
    }
}
