import Foundation
import TestSupport
import XCTest

/// "The runner allocates nothing inside the step loop": the number of malloc calls of a
/// whole run must not grow with the number of steps. Counted with a small LD_PRELOAD
/// library (Fixtures/malloc-counter.c) built with the system C compiler.
final class StepLoopAllocationTests: XCTestCase {
    private func mallocCalls(steps: Int, library: URL, folder: URL) throws -> Int {
        // The same history length for every run: step 0 and the last step.
        let text = try TestSpecs.derived(from: Repository.specWithoutExpectations("specs/tutorial.yaml"),
                                         setting: ["training.steps": "\(steps)", "record.every": "\(steps)"])
        let spec = folder.appendingPathComponent("steps-\(steps).yaml")
        try text.write(to: spec, atomically: true, encoding: .utf8)
        let output = try NnrunProcess.run(["env", "LD_PRELOAD=\(library.path)", NnrunProcess.executable.path,
                                           spec.path, "-o", "-"], executable: URL(fileURLWithPath: "/usr/bin/env"))
        XCTAssertEqual(output.status, 0, output.stderr)
        let line = try XCTUnwrap(output.stderr.split(separator: "\n").last { $0.hasPrefix("malloc calls: ") })
        return try XCTUnwrap(Int(line.dropFirst("malloc calls: ".count)))
    }

    func testMallocCallsDoNotGrowWithSteps() throws {
        #if !os(Linux)
        throw XCTSkip("LD_PRELOAD counting is Linux-only")
        #else
        let compiler = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let compiler else { throw missingTool("no C compiler to build the malloc counter") }
        let folder = try NnrunProcess.temporaryFolder()
        let library = folder.appendingPathComponent("malloc-counter.so")
        let source = Repository.file("Tests/CLITests/Fixtures/malloc-counter.c")
        let build = try NnrunProcess.run(["-shared", "-fPIC", "-O2", "-o", library.path, source.path, "-ldl"],
                                         executable: URL(fileURLWithPath: compiler))
        XCTAssertEqual(build.status, 0, build.stderr)

        let short = try mallocCalls(steps: 1_000, library: library, folder: folder)
        let long = try mallocCalls(steps: 3_000, library: library, folder: folder)
        // 2,000 more steps; a single allocation per step would add 2,000 calls. The few
        // extra allow for longer number text in the output.
        XCTAssertLessThan(abs(long - short), 50, "1,000 steps: \(short) malloc calls; 3,000 steps: \(long)")
        XCTAssertGreaterThan(short, 0, "the counter did not count")
        #endif
    }
}
