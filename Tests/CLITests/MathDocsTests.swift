import Foundation
import TestSupport
import XCTest

/// Docs/math.md is enough to reproduce nnrun's elementary functions bit for bit: a Python
/// implementation written from the page alone (Fixtures/math_from_docs.py) regenerates the
/// tables from their definitions, matches the page's table checksums and recomputes every
/// test vector, which MathDocsVectorTests checks against nnrun's C functions. The vectors'
/// other two columns, the correctly rounded value and nnrun's error in ulps, are checked
/// against mpmath (Fixtures/math_columns.py).
final class MathDocsTests: XCTestCase {
    private let python = URL(fileURLWithPath: "/usr/bin/env")
    private let script = Repository.file("Tests/CLITests/Fixtures/math_from_docs.py").path

    func testThePagesImplementationReproducesItsTablesAndTestVectors() throws {
        try requirePython("import math, re, struct", else: "python3 is needed to check Docs/math.md (install python3)")
        let check = try NnrunProcess.run(["python3", script, "check-doc", Repository.file("Docs/math.md").path],
                                         executable: python)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains(" 0 mismatches"), check.stdout)
    }

    func testTheVectorsCorrectlyRoundedValuesAndErrorsAreMpmaths() throws {
        try requirePython("import mpmath",
                          else: "python3 with mpmath is needed to check Docs/math.md's error columns: pip install mpmath")
        let check = try NnrunProcess.run(["python3", Repository.file("Tests/CLITests/Fixtures/math_columns.py").path,
                                          Repository.file("Docs/math.md").path], executable: python)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains(" rows checked, 0 mismatches"), check.stdout)
    }
}
