import Foundation
import TestSupport
import XCTest

/// The documented exit codes (Docs/exit-codes.md), checked on the real executable.
final class ExitCodeTests: XCTestCase {
    func testTutorialRunsAndWritesTheDefaultResultsFile() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let output = try NnrunProcess.run([Repository.file("specs/tutorial.yaml").path], in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("tutorial: trained 10000 steps"), output.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("tutorial.results.json").path))
    }
}
