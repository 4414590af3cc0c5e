@testable import Pipeline
import XCTest

/// A compiled PyTorch script names the spec's data files from its own folder, so that it
/// finds them from any current folder (Docs/pytorch.md, "Data").
final class DataPathRelocationTests: XCTestCase {
    func testRelativePathIsRewrittenFromTheScriptsFolder() {
        XCTAssertEqual(PyTorchCompilation.relocated("data/iris.csv", from: "/p/specs", to: "/p/out"), "../specs/data/iris.csv")
        XCTAssertEqual(PyTorchCompilation.relocated("data/iris.csv", from: "/p/specs", to: "/p/specs"), "data/iris.csv")
        XCTAssertEqual(PyTorchCompilation.relocated("../d/x.npy", from: "/p/specs", to: "/p/specs/deep/er"), "../../../d/x.npy")
        XCTAssertEqual(PyTorchCompilation.relocated("./x.npy", from: "/a", to: "/"), "a/x.npy")
    }

    func testAbsolutePathStaysAbsolute() {
        XCTAssertEqual(PyTorchCompilation.relocated("/data/x.npy", from: "/p/specs", to: "/q"), "/data/x.npy")
        // Nothing in common but the root: absolute rather than climbing to it.
        XCTAssertEqual(PyTorchCompilation.relocated("x.npy", from: "/a/b", to: "/c"), "/a/b/x.npy")
    }
}
