import CKernels
import Foundation
import TestSupport
import XCTest

/// The test vectors written in Docs/math.md against nnrun's own functions, so the page and
/// the code cannot drift apart. (The vectors are recomputed from the page alone by
/// Tests/CLITests/Fixtures/math_from_docs.py, which MathDocsTests runs.)
final class MathDocsVectorTests: XCTestCase {
    private struct Vector {
        var call: String
        var function: String
        var argument: Double
        var n: Int64?
        var documented: Double
    }

    /// The rows of the page's test vector table: `| \`exp(0x1p+0)\` (note) | \`0x1.5bf…p+1\` | …`.
    private func documentedVectors() throws -> [Vector] {
        let page = try String(contentsOf: Repository.file("Docs/math.md"), encoding: .utf8)
        let section = try XCTUnwrap(page.components(separatedBy: "## Test vectors").last?
            .components(separatedBy: "### Table checksums").first)
        return try section.split(separator: "\n").filter { $0.hasPrefix("| `") }.map { row in
            let cells = row.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
            // cells: "| ", call, " (note) | ", nnrun's value, " | ", …
            XCTAssertGreaterThanOrEqual(cells.count, 4, String(row))
            let call = cells[1]
            let open = try XCTUnwrap(call.firstIndex(of: "("), call)
            let arguments = call[call.index(after: open)..<call.index(before: call.endIndex)]
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return Vector(call: call, function: String(call[..<open]),
                          argument: try XCTUnwrap(Double(arguments[0]), call),
                          n: try arguments.dropFirst().first.map { try XCTUnwrap(Int64($0), call) },
                          documented: try XCTUnwrap(Double(cells[3]), String(row)))
        }
    }

    private func nnrun(_ vector: Vector) throws -> Double {
        switch vector.function {
        case "exp": return nn_exp_value(vector.argument)
        case "log": return nn_log_value(vector.argument)
        case "log1p": return nn_log1p_value(vector.argument)
        case "sigmoid": return nn_sigmoid_value(vector.argument)
        case "power": return nn_power_value(vector.argument, try XCTUnwrap(vector.n, vector.call))
        case "cospi": return nn_cospi_fraction(try XCTUnwrap(Int64(exactly: vector.argument), vector.call),
                                                try XCTUnwrap(vector.n, vector.call))
        default: throw UnknownFunction(call: vector.call)
        }
    }

    func testEveryDocumentedVectorIsWhatNnrunsFunctionsGive() throws {
        let vectors = try documentedVectors()
        XCTAssertGreaterThanOrEqual(vectors.count, 38, "the table of Docs/math.md has 38 vectors")
        for function in ["exp", "log", "log1p", "power", "sigmoid", "cospi"] {
            XCTAssertTrue(vectors.contains { $0.function == function }, "Docs/math.md has no \(function) vector")
        }
        for vector in vectors {
            let value = try nnrun(vector)
            XCTAssertEqual(value.bitPattern, vector.documented.bitPattern,
                           "\(vector.call): the page says \(vector.documented), nnrun gives \(value)")
        }
    }
}

/// A vector in Docs/math.md that this test cannot check: a failure, so that a vector added
/// to the page is never silently left unchecked.
private struct UnknownFunction: Error, CustomStringConvertible {
    var call: String
    var description: String { "Docs/math.md has a vector of a function this test does not know: \(call)" }
}
