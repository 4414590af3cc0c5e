import Foundation
import XCTest

/// What a test throws when it needs a tool this machine lacks (a shell, Python with a
/// package, a compiler). On a developer's machine the test is skipped with a message that
/// says what to install; under CI (the environment has CI set, as `.ci/run` runs) it
/// fails, since `.ci/run` installs every such tool and a skip there would hide a gap.
public func missingTool(_ message: String) -> Error {
    if ProcessInfo.processInfo.environment["CI"] != nil {
        return MissingToolUnderCI(message: message)
    }
    return XCTSkip(message)
}

public struct MissingToolUnderCI: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "\(message) (.ci/run must install it: a test may not skip under CI)" }
}

/// Throws `missingTool(message)` unless `python3` runs `statement` (its imports, usually)
/// without an error: the probe of every test that hands work to Python.
public func requirePython(_ statement: String, else message: String) throws {
    let probe = try NnrunProcess.run(["python3", "-c", statement], executable: URL(fileURLWithPath: "/usr/bin/env"))
    guard probe.status == 0 else { throw missingTool(message) }
}
