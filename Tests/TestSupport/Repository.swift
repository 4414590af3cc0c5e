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

    /// `shared/` sits beside the clone (`../shared`), read-only.
    public static let shared: URL = root.deletingLastPathComponent().appendingPathComponent("shared")
}
