import CKernels
import Foundation
import Planning
import TestSupport
import Validation
import XCTest

/// The test vectors written in Docs/random.md against nnrun's generator, so the page and the
/// code cannot drift apart. (The vectors come from a Python implementation of the page,
/// Tests/CLITests/Fixtures/random_from_docs.py, which RandomDocsTests also runs.)
final class RandomDocsVectorTests: XCTestCase {
    private struct Vector {
        var what: String
        var arguments: [String: String]
        var values: [String]
        var line: String
    }

    /// The lines between the page's `test vectors begin` and `end` markers.
    private func documentedVectors() throws -> [Vector] {
        let page = try String(contentsOf: Repository.file("Docs/random.md"), encoding: .utf8)
        let begin = try XCTUnwrap(page.range(of: "<!-- test vectors begin -->"))
        let end = try XCTUnwrap(page.range(of: "<!-- test vectors end -->"))
        return try page[begin.upperBound..<end.lowerBound].split(separator: "\n")
            .filter { !$0.hasPrefix("```") }
            .map { line in
                let halves = line.components(separatedBy: " : ")
                XCTAssertEqual(halves.count, 2, String(line))
                let head = halves[0].split(separator: " ")
                let arguments = try head.filter { $0.contains("=") }.map { token -> (String, String) in
                    let pair = token.split(separator: "=", maxSplits: 1)
                    return (String(pair[0]), String(try XCTUnwrap(pair.last)))
                }
                return Vector(what: head.filter { !$0.contains("=") }.joined(separator: " "),
                              arguments: Dictionary(uniqueKeysWithValues: arguments),
                              values: halves[1].split(separator: " ").map(String.init), line: String(line))
            }
    }

    private func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// What nnrun gives for one vector, as tokens comparable with the page's.
    private func computed(_ vector: Vector) throws -> [String] {
        func argument(_ key: String) throws -> String { try XCTUnwrap(vector.arguments[key], "\(key) in \(vector.line)") }
        func seed(_ key: String = "seed") throws -> UInt64 { try XCTUnwrap(UInt64(try argument(key))) }
        func number(_ key: String) throws -> Double? { try vector.arguments[key].map { try XCTUnwrap(Double($0)) } }
        switch vector.what {
        case "splitmix64":
            let start = try seed()
            return (0..<4).map { SeedDerivation.layer($0, specSeed: start) }.map(hex)
        case "xoshiro256**":
            if let state = vector.arguments["state"] {
                let words = try state.split(separator: ",").map { try XCTUnwrap(UInt64($0)) }
                var generator = RandomSource(rawState: (words[0], words[1], words[2], words[3]))
                return (0..<4).map { _ in String(generator.next()) }
            }
            var generator = RandomSource(seed: try seed())
            return (0..<4).map { _ in hex(generator.next()) }
        case "uniform":
            var generator = RandomSource(seed: try seed())
            return (0..<4).map { _ in "\(generator.uniform())" }
        case "normal":
            var generator = RandomSource(seed: try seed())
            return (0..<5).map { _ in "\(generator.normal())" }
        case "polar":
            // The page's worked pair: the same uniforms drawn by hand, then nnrun's normals.
            var uniforms = RandomSource(seed: try seed()), normals = RandomSource(seed: try seed())
            let u1 = uniforms.uniform(), u2 = uniforms.uniform()
            let a = 2 * u1 - 1, b = 2 * u2 - 1, s = a * a + b * b
            let f = (-2 * nn_log_value(s) / s).squareRoot()
            return [u1, u2, a, b, s, nn_log_value(s), f, normals.normal(), normals.normal()].map { "\($0)" }
        case "ln":
            return ["\(nn_log_value(try XCTUnwrap(number("x"))))"]
        case "ln_bits_sum":
            var generator = RandomSource(seed: try seed())
            var total: UInt64 = 0
            for _ in 0..<(try XCTUnwrap(Int(try argument("count")))) {
                let u = generator.uniform()
                if u > 0 { total &+= nn_log_value(u).bitPattern }
            }
            return [hex(total)]
        case "normal_bits_sum":
            var generator = RandomSource(seed: try seed())
            var total: UInt64 = 0
            for _ in 0..<(try XCTUnwrap(Int(try argument("count")))) { total &+= generator.normal().bitPattern }
            return [hex(total)]
        case "layer_seed":
            return [hex(SeedDerivation.layer(try XCTUnwrap(Int(try argument("layer"))), specSeed: try seed("spec_seed")))]
        case "shuffle_seed":
            return [hex(SeedDerivation.shuffle(specSeed: try seed("spec_seed")))]
        case "shuffle":
            var generator = RandomSource(seed: try seed())
            let count = try XCTUnwrap(Int(try argument("n")))
            return (0..<3).map { _ in generator.permutation(count).map(String.init).joined(separator: " ") }
                .joined(separator: " | ").split(separator: " ").map(String.init)
        default:
            guard vector.what.hasPrefix("init ") else { throw UnknownVector(line: vector.line) }
            let initializer: ValidatedSpec.Initializer
            switch vector.what.dropFirst(5) {
            case "uniform": initializer = .uniform(low: try number("low") ?? 0, high: try number("high") ?? 1)
            case "normal": initializer = .normal(mean: try number("mean") ?? 0, std: try number("std") ?? 1)
            case "xavier_uniform": initializer = .xavierUniform
            case "xavier_normal": initializer = .xavierNormal
            case "he_uniform": initializer = .heUniform
            case "he_normal": initializer = .heNormal
            default: throw UnknownVector(line: vector.line)
            }
            let rows = Initialization.weights(initializer, units: try XCTUnwrap(Int(try argument("units"))),
                                              inputs: try XCTUnwrap(Int(try argument("inputs"))), seed: try seed())
            return rows.joined().map { "\($0)" }
        }
    }

    /// Tokens equal, or numbers with the same binary64 bits (the page is in Python's
    /// shortest form, which may spell an exponent differently from Swift's).
    private func same(_ page: String, _ nnrun: String) -> Bool {
        if page == nnrun { return true }
        guard let x = Double(page), let y = Double(nnrun) else { return false }
        return x.bitPattern == y.bitPattern
    }

    func testEveryDocumentedVectorIsWhatTheGeneratorGives() throws {
        let vectors = try documentedVectors()
        XCTAssertGreaterThanOrEqual(vectors.count, 40)
        for kind in ["splitmix64", "xoshiro256**", "uniform", "normal", "polar", "ln", "ln_bits_sum", "normal_bits_sum",
                     "layer_seed", "shuffle_seed",
                     "init uniform", "init normal", "init xavier_uniform", "init xavier_normal", "init he_uniform",
                     "init he_normal", "shuffle"] {
            XCTAssertTrue(vectors.contains { $0.what == kind }, "Docs/random.md has no \(kind) vector")
        }
        for vector in vectors {
            let nnrun = try computed(vector)
            XCTAssertTrue(nnrun.count == vector.values.count && zip(vector.values, nnrun).allSatisfy(same),
                          "\(vector.line)\n  nnrun gives: \(nnrun.joined(separator: " "))")
        }
    }
}

/// A vector in Docs/random.md that this test cannot check: a failure, so that a vector
/// added to the page is never silently left unchecked.
private struct UnknownVector: Error, CustomStringConvertible {
    var line: String
    var description: String { "Docs/random.md has a vector this test does not know: \(line)" }
}
