import CKernels
import Foundation
import TestSupport
import XCTest

/// nnrun's cos(pi k / n) (`nn_cospi_fraction`, the cosine schedule's cosine) against
/// mpmath, and the exact values and symmetries its integer reduction promises.
final class CosineTests: XCTestCase {
    private struct Reference {
        var k: Int64
        var n: Int64
        var value: Double
        var rest: Double
    }

    /// Tests/KernelTests/Fixtures/cospi-reference.txt, written by scripts/cospi-reference
    /// from mpmath at 200 bits: `k n value rest`, exact = value + rest.
    private func references() throws -> [Reference] {
        let text = try String(contentsOf: Repository.file("Tests/KernelTests/Fixtures/cospi-reference.txt"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 4, let k = Int64(fields[0]), let n = Int64(fields[1]),
                  let value = Double(fields[2]), let rest = Double(fields[3]) else {
                throw NSError(domain: "cospi-reference.txt", code: 1, userInfo: [NSLocalizedDescriptionKey: "bad line: \(line)"])
            }
            return Reference(k: k, n: n, value: value, rest: rest)
        }
    }

    /// |ours - exact| in ulps of the exact value; an exact 0 must be met exactly.
    private func ulpsOff(_ ours: Double, _ reference: Reference) -> Double {
        let value = reference.value
        if value == 0 { return ours == 0 ? 0 : .infinity }
        var ulp = value.ulp
        // Just below a power of two the exact value's ulp is half the rounded value's.
        if value.significandBitPattern == 0, (reference.rest < 0) == (value > 0), reference.rest != 0 { ulp /= 2 }
        return abs((ours - value) - reference.rest) / ulp
    }

    func testCosineIsWithinItsBoundOfTheExactValues() throws {
        let table = try references()
        XCTAssertGreaterThan(table.count, 5000)
        var largest = (error: 0.0, k: Int64(0), n: Int64(1))
        for reference in table {
            let error = ulpsOff(nn_cospi_fraction(reference.k, reference.n), reference)
            if error > largest.error { largest = (error, reference.k, reference.n) }
        }
        print("cos(pi k / n): largest error \(largest.error) ulp at k = \(largest.k), n = \(largest.n)")
        // The documented bound (Docs/math.md): 0.85 ulp.
        XCTAssertLessThanOrEqual(largest.error, 0.85, "at k = \(largest.k), n = \(largest.n)")
    }

    func testExactValuesAtMultiplesOfAQuarterTurn() {
        for n: Int64 in [1, 2, 4, 6, 100, 1 << 52] {
            XCTAssertEqual(nn_cospi_fraction(0, n), 1)
            XCTAssertEqual(nn_cospi_fraction(n, n), -1)
            XCTAssertEqual(nn_cospi_fraction(2 * n, n), 1)
            if n % 2 == 0 {
                XCTAssertEqual(nn_cospi_fraction(n / 2, n).bitPattern, (0.0).bitPattern, "cos(pi/2) is +0")
                XCTAssertEqual(nn_cospi_fraction(3 * n / 2, n).bitPattern, (0.0).bitPattern)
            }
        }
        // cos(pi/3) = 1/2 and cos(2 pi/3) = -1/2: the reduction turns 2/3 into -cos(1/3).
        XCTAssertEqual(nn_cospi_fraction(2, 3), -nn_cospi_fraction(1, 3))
        XCTAssertEqual(nn_cospi_fraction(1, 3), 0.5, accuracy: 0x1p-53)
    }

    func testTheIntegerReductionMakesTheCosineEvenAndPeriodicBitForBit() {
        for n: Int64 in [3, 7, 100, 12345] {
            for k: Int64 in [0, 1, 2, n / 3, n - 1, n + 1, 5 * n / 4] {
                let value = nn_cospi_fraction(k, n)
                XCTAssertEqual(nn_cospi_fraction(-k, n).bitPattern, value.bitPattern, "even at k = \(k), n = \(n)")
                XCTAssertEqual(nn_cospi_fraction(k + 2 * n, n).bitPattern, value.bitPattern, "period 2n at k = \(k), n = \(n)")
                XCTAssertEqual(nn_cospi_fraction(2 * n - k, n).bitPattern, value.bitPattern, "cos(2 pi - x) at k = \(k), n = \(n)")
            }
        }
    }

    func testAnOutOfRangeDenominatorGivesTheDocumentedNaN() {
        for n: Int64 in [0, -3, (1 << 52) + 1, .max] {
            XCTAssertEqual(nn_cospi_fraction(1, n).bitPattern, 0x7ff8_0000_0000_0000, "n = \(n)")
        }
        // The largest k's remainder needs no overflow.
        XCTAssertTrue(nn_cospi_fraction(.max, 1 << 52).isFinite)
        XCTAssertTrue(nn_cospi_fraction(.min, 1 << 52).isFinite)
    }
}
