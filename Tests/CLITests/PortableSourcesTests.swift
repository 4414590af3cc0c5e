import Foundation
import TestSupport
import XCTest

/// Package.swift declares macOS as well as Linux: platform modules and Linux-only calls
/// stay behind a condition, so that the sources compile for Darwin in principle (only
/// Linux builds are tested here; Docs/math.md says what is tested where).
final class PortableSourcesTests: XCTestCase {
    private func sources(_ suffix: String) throws -> [(path: String, lines: [String])] {
        let root = Repository.file("Sources")
        let walker = try XCTUnwrap(FileManager.default.enumerator(atPath: root.path))
        return try walker.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) }.sorted().map { path in
            (path, try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8).components(separatedBy: "\n"))
        }
    }

    func testPlatformModulesAreImportedOnlyUnderACondition() throws {
        var unguarded: [String] = []
        for (path, lines) in try sources(".swift") {
            for (n, line) in lines.enumerated() where ["import Glibc", "import Darwin", "import Musl"].contains(line.trimmingCharacters(in: .whitespaces)) {
                let above = n > 0 ? lines[n - 1].trimmingCharacters(in: .whitespaces) : ""
                if !(above.hasPrefix("#if canImport(") || above.hasPrefix("#elseif canImport(")) { unguarded.append("\(path):\(n + 1)") }
            }
        }
        XCTAssertEqual(unguarded, [], "wrap platform imports in #if canImport(...)")
    }

    func testLinuxOnlyCallsAreBehindACondition() throws {
        let linuxOnly = ["sched_getaffinity", "malloc_trim", "/proc/self"]
        var unguarded: [String] = []
        for (path, lines) in try sources(".c") + (try sources(".swift")) {
            var depth = 0, guardedDepths: [Int] = []
            for (n, line) in lines.enumerated() {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.hasPrefix("#if") {
                    depth += 1
                    if text.contains("__linux__") || text.contains("__GLIBC__") || text.contains("os(Linux)") || text.contains("canImport(Glibc)") {
                        guardedDepths.append(depth)
                    }
                } else if text.hasPrefix("#else") || text.hasPrefix("#elif") {
                    if guardedDepths.last == depth { guardedDepths.removeLast() }
                } else if text.hasPrefix("#endif") {
                    if guardedDepths.last == depth { guardedDepths.removeLast() }
                    depth -= 1
                } else if !text.hasPrefix("//"), !text.hasPrefix("///"), guardedDepths.isEmpty,
                          let call = linuxOnly.first(where: { text.contains($0) }) {
                    unguarded.append("\(path):\(n + 1): \(call)")
                }
            }
        }
        XCTAssertEqual(unguarded, [], "put Linux-only calls behind #if __linux__ / os(Linux)")
    }
}
