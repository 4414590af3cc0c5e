import Foundation
import TestSupport
import XCTest

/// `nnrun upgrade SPEC [-o OUT]` on the real executable (Docs/cli.md#nnrun-upgrade): the
/// upgraded text byte for byte, where it goes, and the documented exit statuses.
final class UpgradeCommandTests: XCTestCase {
    /// No final line break, a comment, a layer without bias: what the test expects is
    /// written out below, not produced by nnrun.
    private let format1 = "nnrun: 1  # old\nname: u\nmodel:\n  inputs: 1\n  layers:\n    - name: out\n      units: 1\n      activation: linear\n      weights: [[0.5]]\ndata: [{inputs: [1], targets: [1]}]\ntraining: {loss: mse, learning_rate: 0.1, steps: 2}"
    private let format2 = "nnrun: 2  # old\nname: u\nmodel:\n  inputs: 1\n  layers:\n    - name: out\n      units: 1\n      activation: linear\n      weights: [[0.5]]\n      bias: none\ndata: [{inputs: [1], targets: [1]}]\ntraining: {loss: mse, learning_rate: 0.1, steps: 2}"

    func testTheUpgradeGoesToStandardOutputByteForByte() throws {
        let folder = try NnrunProcess.temporaryFolder()
        try format1.write(to: folder.appendingPathComponent("u.yaml"), atomically: true, encoding: .utf8)
        let output = try NnrunProcess.run(["upgrade", "u.yaml"], in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout, format2)
        XCTAssertEqual(try NnrunProcess.run(["upgrade", "u.yaml", "-o", "-"], in: folder).stdout, format2)
    }

    func testOutputMayBeTheSpecItselfAndAFormat2SpecStaysAsItIs() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let spec = folder.appendingPathComponent("u.yaml")
        try format1.write(to: spec, atomically: true, encoding: .utf8)
        XCTAssertEqual(try NnrunProcess.run(["upgrade", "u.yaml", "-o", "u.yaml"], in: folder).status, 0)
        XCTAssertEqual(try String(contentsOf: spec, encoding: .utf8), format2)
        let again = try NnrunProcess.run(["upgrade", "u.yaml"], in: folder)
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(again.stdout, format2)
        // The upgraded spec runs, without a bias, as the format 1 spec did.
        let run = try NnrunProcess.run(["u.yaml", "-o", "-", "--quiet"], in: folder)
        XCTAssertTrue(run.stdout.contains("\"bias\": null"), run.stdout)
    }

    func testAnInvalidSpecExits65AndAMissingOneExits66() throws {
        let folder = try NnrunProcess.temporaryFolder()
        try format1.replacingOccurrences(of: "units: 1", with: "units: 0")
            .write(to: folder.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let bad = try NnrunProcess.run(["upgrade", "bad.yaml"], in: folder)
        XCTAssertEqual(bad.status, 65)
        XCTAssertTrue(bad.stderr.contains("error[NN3005]"), bad.stderr)
        XCTAssertEqual(bad.stdout, "")
        let missing = try NnrunProcess.run(["upgrade", "none.yaml"], in: folder)
        XCTAssertEqual(missing.status, 66)
        XCTAssertEqual(missing.stderr, "none.yaml: error: cannot read the spec: no such file\n")
    }
}
