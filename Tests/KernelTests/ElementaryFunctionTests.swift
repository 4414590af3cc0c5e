import CKernels
import Foundation
import TestSupport
import XCTest

/// nnrun's own exp, log, log1p, integer power and sigmoid (CKernels/elementary.h,
/// Docs/math.md): within their stated bounds of mpmath's exact values, right at the special
/// values, and the same bits from every kernel's vector form.
final class ElementaryFunctionTests: XCTestCase {
    /// The bounds Docs/math.md states, in ulps of the exact value.
    private static let bounds: [String: Double] = ["exp": 0.52, "log": 0.52, "log1p": 0.52, "power": 1, "sigmoid": 2.6]

    private struct Reference {
        let function: String
        let argument: Double
        let n: Int64
        /// The exact value is value + rest (value correctly rounded).
        let value: Double
        let rest: Double
    }

    /// Tests/KernelTests/Fixtures/math-reference.txt, written by scripts/math-reference
    /// from mpmath at 200 bits.
    private func references() throws -> [Reference] {
        let text = try String(contentsOf: Repository.file("Tests/KernelTests/Fixtures/math-reference.txt"), encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: " ").map(String.init)
            let hasN = fields[0] == "power"
            guard fields.count == (hasN ? 5 : 4), let argument = Double(fields[1]),
                  let value = Double(fields[hasN ? 3 : 2]), let rest = Double(fields[hasN ? 4 : 3]) else {
                throw NSError(domain: "math-reference.txt", code: 1, userInfo: [NSLocalizedDescriptionKey: "bad line: \(line)"])
            }
            return Reference(function: fields[0], argument: argument, n: hasN ? Int64(fields[2]) ?? -1 : 0,
                             value: value, rest: rest)
        }
    }

    private func evaluate(_ reference: Reference) -> Double {
        switch reference.function {
        case "exp": return nn_exp_value(reference.argument)
        case "log": return nn_log_value(reference.argument)
        case "log1p": return nn_log1p_value(reference.argument)
        case "power": return nn_power_value(reference.argument, reference.n)
        default: return nn_sigmoid_value(reference.argument)
        }
    }

    /// |ours - exact| in ulps of the exact value (whose ulp is half the rounded value's
    /// when the rounded value is a power of two reached from below). Zero and infinite
    /// values must be met exactly.
    private func ulpsOff(_ ours: Double, _ reference: Reference) -> Double {
        let value = reference.value
        if value == 0 || value.isInfinite || ours.isInfinite { return ours == value ? 0 : .infinity }
        var ulp = value.ulp
        if value.isNormal, value.significandBitPattern == 0, (reference.rest < 0) == (value > 0), reference.rest != 0 {
            ulp = ulp / 2
        }
        return abs((ours - value) - reference.rest) / ulp
    }

    func testEveryFunctionIsWithinItsBoundOfTheExactValues() throws {
        let table = try references()
        var largest: [String: (error: Double, at: Reference)] = [:]
        for reference in table {
            let error = ulpsOff(evaluate(reference), reference)
            if error >= (largest[reference.function]?.error ?? -1) { largest[reference.function] = (error, reference) }
        }
        for (function, bound) in Self.bounds.sorted(by: { $0.key < $1.key }) {
            let count = table.filter { $0.function == function }.count
            XCTAssertGreaterThanOrEqual(count, 400, "\(function): too few reference values")
            guard let worst = largest[function] else { continue }
            let at = function == "power" ? "\(worst.at.argument)^\(worst.at.n)" : "\(function)(\(worst.at.argument))"
            print("\(function): \(count) reference values, largest error \(worst.error) ulp at \(at) (bound \(bound))")
            XCTAssertLessThanOrEqual(worst.error, bound, "\(function) exceeds its bound at \(at)")
        }
    }

    func testSpecialValues() {
        func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
        let nan = Double(bitPattern: 0x7FF8_0000_0000_0000)
        let cases: [(String, Double, Double)] = [
            ("exp(0)", nn_exp_value(0), 1), ("exp(-0)", nn_exp_value(-0.0), 1),
            ("exp(inf)", nn_exp_value(.infinity), .infinity), ("exp(-inf)", nn_exp_value(-.infinity), 0),
            ("exp(709.8)", nn_exp_value(709.8), .infinity), ("exp(-745.2)", nn_exp_value(-745.2), 0),
            ("exp(nan)", nn_exp_value(.nan), .nan),
            // the largest finite and the smallest subnormal results (mpmath: exp(0x1.62e42fefa39efp9)
            // = 0x1.fffffffffff2ap1023 rounded; exp(-745.1332191019411) rounds to 2^-1074)
            ("exp(ln DBL_MAX)", nn_exp_value(0x1.62e42fefa39efp9), 0x1.fffffffffff2ap1023),
            ("exp(-745.1332191019411)", nn_exp_value(-745.1332191019411), .leastNonzeroMagnitude),
            ("exp(-745.1332191019412)", nn_exp_value(-745.1332191019412), 0),
            ("log(1)", nn_log_value(1), 0), ("log(0)", nn_log_value(0), -.infinity), ("log(-0)", nn_log_value(-0.0), -.infinity),
            ("log(inf)", nn_log_value(.infinity), .infinity), ("log(-1)", nn_log_value(-1), nan),
            ("log(-inf)", nn_log_value(-.infinity), nan), ("log(nan)", nn_log_value(.nan), .nan),
            // ln(2^-1074) = -1074 ln 2 = -744.4400719213812 (mpmath: -0x1.74385446d71c3p9)
            ("log(min subnormal)", nn_log_value(.leastNonzeroMagnitude), -0x1.74385446d71c3p9),
            ("log1p(0)", nn_log1p_value(0), 0), ("log1p(-0)", nn_log1p_value(-0.0), -0.0),
            ("log1p(-1)", nn_log1p_value(-1), -.infinity), ("log1p(-2)", nn_log1p_value(-2), nan),
            ("log1p(inf)", nn_log1p_value(.infinity), .infinity), ("log1p(nan)", nn_log1p_value(.nan), .nan),
            ("log1p(min subnormal)", nn_log1p_value(.leastNonzeroMagnitude), .leastNonzeroMagnitude),
            ("power(0.9, 0)", nn_power_value(0.9, 0), 1), ("power(nan, 0)", nn_power_value(.nan, 0), 1),
            ("power(0, 3)", nn_power_value(0, 3), 0), ("power(-0, 3)", nn_power_value(-0.0, 3), -0.0),
            ("power(-2, 3)", nn_power_value(-2, 3), -8), ("power(2, 10)", nn_power_value(2, 10), 1024),
            ("power(1, 10^9)", nn_power_value(1, 1_000_000_000), 1), ("power(0.5, 1074)", nn_power_value(0.5, 1074), .leastNonzeroMagnitude),
            ("power(0.5, 1075)", nn_power_value(0.5, 1075), 0), ("power(2, 1024)", nn_power_value(2, 1024), .infinity),
            ("power(0.9, -1)", nn_power_value(0.9, -1), nan),
            ("sigmoid(0)", nn_sigmoid_value(0), 0.5), ("sigmoid(inf)", nn_sigmoid_value(.infinity), 1),
            ("sigmoid(-inf)", nn_sigmoid_value(-.infinity), 0), ("sigmoid(nan)", nn_sigmoid_value(.nan), .nan),
        ]
        for (what, got, expected) in cases {
            XCTAssertTrue(same(got, expected), "\(what) = \(got), expected \(expected)")
        }
        XCTAssertEqual(nn_log_value(-1).bitPattern, 0x7FF8_0000_0000_0000, "the documented NaN, on every machine")
    }

    private var kernels: [nn_kernel] {
        [NN_KERNEL_GENERIC, NN_KERNEL_AVX2, NN_KERNEL_AVX512].filter { nn_kernel_available($0) != 0 }
    }

    /// Arguments around every path: exp's special lanes (|x| >= 708, NaN, inf) inside vectors.
    private func arguments() -> [Double] {
        var random = Lcg(seed: 14)
        var x: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 708, -708, 709.9, -745.2, -720, 1e-300, -0x1p-1030]
        for _ in 0..<4000 { x.append(random.next() * 40) }            // [-160, 160)
        for _ in 0..<500 { x.append(random.next() * 1500) }           // beyond the main path
        return x
    }

    func testSigmoidLayersGiveTheScalarBitsWithEveryKernel() {
        let x = arguments()
        for kernel in kernels {
            for count in [x.count, x.count - 5, 3] {
                var out = [Double](repeating: 0, count: count), slope = out
                nn_sigmoid(kernel, x, &out, &slope, count)
                for k in 0..<count {
                    let o = nn_sigmoid_value(x[k])
                    XCTAssertEqual(out[k].bitPattern, o.bitPattern, "kernel \(kernel.rawValue), sigmoid(\(x[k]))")
                    XCTAssertEqual(slope[k].bitPattern, (o * (1 - o)).bitPattern, "kernel \(kernel.rawValue), slope at \(x[k])")
                }
            }
        }
    }

    func testExponentialsAndSoftmaxGiveTheScalarBitsWithEveryKernel() {
        let x = arguments()
        for kernel in kernels {
            var out = [Double](repeating: 0, count: x.count)
            nn_exp_shifted(kernel, x, 0.75, &out, x.count)
            let wrong = (0..<x.count).filter { out[$0].bitPattern != nn_exp_value(x[$0] - 0.75).bitPattern }
            XCTAssertEqual(wrong.count, 0, "kernel \(kernel.rawValue): exp differs at \(wrong.prefix(5).map { x[$0] })")
            // softmax of rows of 1 to 40 logits, against the formula with the scalar exp
            var random = Lcg(seed: UInt64(kernel.rawValue) + 3)
            for width in 1...40 {
                let z = (0..<width).map { _ in random.next() * 30 }
                var softmax = [Double](repeating: 0, count: width)
                let sum = nn_softmax(kernel, z, &softmax, width)
                let m = z.max() ?? 0
                let terms = z.map { nn_exp_value($0 - m) }
                let expectedSum = terms.reduce(0, +)
                XCTAssertEqual(sum.bitPattern, expectedSum.bitPattern, "kernel \(kernel.rawValue), width \(width)")
                XCTAssertEqual(softmax.map(\.bitPattern), terms.map { ($0 / expectedSum).bitPattern })
            }
        }
    }
}
