import Foundation

/// Paths inside this repository, found from this file's own location so tests run the
/// same from `swift test`, an IDE or CI.
public enum Repository {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // TestSupport
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()

    public static func file(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// A spec file's text without its `expect:` section, for tests that derive other specs
    /// from it (their steps would no longer reach the checked ones).
    public static func specWithoutExpectations(_ relativePath: String) throws -> String {
        let text = try String(contentsOf: file(relativePath), encoding: .utf8)
        return text.components(separatedBy: "\nexpect:")[0]
    }
}
