import Foundation
import TestSupport
import XCTest

/// Every spec in specs/ runs, and gives the same bytes twice; the shipped examples learn
/// what they say they learn.
final class ShippedSpecsTests: XCTestCase {
    private func specs() throws -> [URL] {
        let folder = Repository.file("specs")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    func testEverySpecRunsAndItsResultsAreByteIdenticalAcrossRuns() throws {
        let all = try specs()
        XCTAssertGreaterThanOrEqual(all.count, 5)
        let folder = try NnrunProcess.temporaryFolder()
        for spec in all {
            let first = try NnrunProcess.run([spec.path, "-o", "first.json"], in: folder)
            let second = try NnrunProcess.run([spec.path, "-o", "second.json"], in: folder)
            XCTAssertEqual(first.status, 0, "\(spec.lastPathComponent): \(first.stderr)")
            XCTAssertEqual(second.status, 0)
            let a = try Data(contentsOf: folder.appendingPathComponent("first.json"))
            let b = try Data(contentsOf: folder.appendingPathComponent("second.json"))
            XCTAssertEqual(a, b, "\(spec.lastPathComponent) gave different bytes on a second run")
        }
    }

    private func results(_ name: String) throws -> [String: Any] {
        let output = try NnrunProcess.run([Repository.file("specs/\(name).yaml").path, "-o", "-"])
        XCTAssertEqual(output.status, 0, output.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    func testXorOutputsLandOnTheRightSideOfOneHalf() throws {
        let final = try XCTUnwrap(try results("xor")["final"] as? [String: Any])
        let outputs = try XCTUnwrap(final["outputs"] as? [[Double]]).map { $0[0] }
        XCTAssertEqual(outputs.map { $0 > 0.5 }, [false, true, true, false], "\(outputs)")
        XCTAssertEqual(final["accuracy"] as? Double, 1)
    }

    func testIrisReachesAtLeast95PercentTrainingAccuracy() throws {
        let document = try results("iris")
        let final = try XCTUnwrap(document["final"] as? [String: Any])
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(final["accuracy"] as? Double), 0.95)
        let outputs = try XCTUnwrap(final["outputs"] as? [[Double]])
        XCTAssertEqual(outputs.count, 150)
        // The initial weights actually drawn are in the results.
        let initial = try XCTUnwrap(document["initial"] as? [String: Any])
        let layers = try XCTUnwrap(initial["layers"] as? [[String: Any]])
        XCTAssertEqual((layers.first?["weights"] as? [[Double]])?.count, 8)
    }

    func testRegressionFitsTheSine() throws {
        let final = try XCTUnwrap(try results("regression")["final"] as? [String: Any])
        XCTAssertLessThan(try XCTUnwrap(final["loss"] as? Double), 0.01, "mean squared error on sin(x)")
    }
}
