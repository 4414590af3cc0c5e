import Foundation
import TestSupport
import XCTest

/// Users clone only this repository: no file in it may send them to a folder beside the
/// clone or to an errata file the clone does not have. The tutorial is cited by its
/// title and public address; its errata live in Docs/tutorial.md.
final class RepositoryStandsAloneTests: XCTestCase {
    func testNoFileRefersToFilesOutsideTheRepository() throws {
        let git = try NnrunProcess.run(["git", "-C", Repository.root.path, "ls-files"],
                                       executable: URL(fileURLWithPath: "/usr/bin/env"))
        try XCTSkipIf(git.status != 0, "git is needed to list the repository's files")
        let files = git.stdout.split(separator: "\n").map(String.init)
        XCTAssertGreaterThan(files.count, 50)
        let forbidden = ["../" + "shared", "ERRATA" + ".md", "backprop-tutorial" + ".txt"]
        var offenders: [String] = []
        for file in files {
            guard let text = try? String(contentsOf: Repository.file(file), encoding: .utf8) else { continue }
            for pattern in forbidden where text.contains(pattern) { offenders.append("\(file): \(pattern)") }
        }
        XCTAssertEqual(offenders, [], "cite the tutorial by title and address, its errata as Docs/tutorial.md")
    }

    func testTheTutorialIsCitedByItsPublicAddress() throws {
        let address = "https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/"
        for file in ["Docs/tutorial.md", "specs/tutorial.yaml", "specs/tutorial-published.yaml"] {
            let text = try String(contentsOf: Repository.file(file), encoding: .utf8)
            XCTAssertTrue(text.contains(address), "\(file) cites the tutorial by its address")
        }
    }
}
