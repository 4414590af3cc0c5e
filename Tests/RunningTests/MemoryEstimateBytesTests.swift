import Foundation
import Planning
import XCTest

/// `MemoryEstimate.bytes` works out `%.1f` of count / 1024^k in integers; the independent
/// source here is C's printf (through `String(format:)`), which rounds the exact quotient.
final class MemoryEstimateBytesTests: XCTestCase {
    private func printfBytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return String(format: "%.1f", value) + " " + units[unit]
    }

    func testSmallCountsAreWholeBytes() {
        XCTAssertEqual(MemoryEstimate.bytes(0), "0 B")
        XCTAssertEqual(MemoryEstimate.bytes(1023), "1023 B")
        XCTAssertEqual(MemoryEstimate.bytes(1024), "1.0 KiB")
        XCTAssertEqual(MemoryEstimate.bytes(4 << 30), "4.0 GiB")
    }

    /// Ties in tenths: 1.25 KiB = 1280 B and 1.75 KiB = 1792 B are exact in binary, and
    /// printf rounds them to the even tenth (1.2, 1.8); 1.05 KiB is not a multiple of 1/1024.
    func testTiesRoundToTheEvenTenthAsPrintfDoes() {
        XCTAssertEqual(MemoryEstimate.bytes(1280), "1.2 KiB")
        XCTAssertEqual(MemoryEstimate.bytes(1792), "1.8 KiB")
        XCTAssertEqual(MemoryEstimate.bytes(1280), printfBytes(1280))
        XCTAssertEqual(MemoryEstimate.bytes(1_048_575), printfBytes(1_048_575))   // 1023.999 KiB -> "1024.0 KiB"
    }

    func testEveryUnitAndEdgeAgreesWithPrintf() {
        var counts: [Int] = []
        for exponent in 10...62 {
            let power = 1 << exponent
            counts += [power - 1, power, power + 1, power + power / 2, power + power / 20, power + power / 20 + 1]
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let exponent = Int.random(in: 10...61, using: &generator)
            counts.append(Int.random(in: (1 << exponent)...(1 << (exponent + 1) - 1), using: &generator))
        }
        counts += [Int.max, Int.max - 1, 1 << 53 - 1, 1 << 53]
        for count in counts where count >= 0 {
            XCTAssertEqual(MemoryEstimate.bytes(count), printfBytes(count), "count \(count)")
        }
    }
}
