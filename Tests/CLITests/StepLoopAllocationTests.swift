import Foundation
import TestSupport
import XCTest

/// "The runner allocates nothing inside the step loop": the number of malloc calls of a
/// whole run must not grow with the number of steps. Counted with a small LD_PRELOAD
/// library (Fixtures/malloc-counter.c) built with the system C compiler.
final class StepLoopAllocationTests: XCTestCase {
    private func mallocCalls(_ text: String, named name: String, arguments: [String] = [], library: URL,
                             folder: URL) throws -> Int {
        let spec = folder.appendingPathComponent("\(name).yaml")
        try text.write(to: spec, atomically: true, encoding: .utf8)
        let output = try NnrunProcess.run(["env", "LD_PRELOAD=\(library.path)", NnrunProcess.executable.path,
                                           spec.path, "-o", "-"] + arguments, executable: URL(fileURLWithPath: "/usr/bin/env"))
        XCTAssertEqual(output.status, 0, output.stderr)
        let line = try XCTUnwrap(output.stderr.split(separator: "\n").last { $0.hasPrefix("malloc calls: ") })
        return try XCTUnwrap(Int(line.dropFirst("malloc calls: ".count)))
    }

    /// The tutorial with `steps` steps, recording step 0 and the last step only, so the
    /// history has the same length for every run.
    private func tutorial(steps: Int) throws -> String {
        try TestSpecs.derived(from: Repository.specWithoutExpectations("specs/tutorial.yaml"),
                              setting: ["training.steps": "\(steps)", "record.every": "\(steps)"])
    }

    /// w3's shapes (64-128-10, tanh and softmax, Adam, batches of 32) on 64 inline samples:
    /// too large for the small-network path, large enough for two threads' passes by rows.
    private func digitsLike(steps: Int) -> String {
        """
        nnrun: 2
        name: digits-like
        model:
          inputs: 64
          layers:
            - {name: hidden, units: 128, activation: tanh, weights: {init: xavier_uniform, seed: 1}}
            - {name: out, units: 10, activation: softmax, weights: {init: xavier_uniform, seed: 2}}
        data:
        \(TestSpecs.oneHotSamples(64, inputs: 64, classes: 10, seed: 4))
        training:
          loss: cross_entropy
          optimizer: adam
          learning_rate: 0.001
          batch: 32
          shuffle: {seed: 3}
          steps: \(steps)
        record: {every: \(steps)}
        """
    }

    /// The malloc counter, built with the system C compiler into a fresh folder.
    private func mallocCounter() throws -> (library: URL, folder: URL) {
        let compiler = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let compiler else { throw missingTool("no C compiler to build the malloc counter") }
        let folder = try NnrunProcess.temporaryFolder()
        let library = folder.appendingPathComponent("malloc-counter.so")
        let source = Repository.file("Tests/CLITests/Fixtures/malloc-counter.c")
        let build = try NnrunProcess.run(["-shared", "-fPIC", "-O2", "-o", library.path, source.path, "-ldl"],
                                         executable: URL(fileURLWithPath: compiler))
        XCTAssertEqual(build.status, 0, build.stderr)
        return (library, folder)
    }

    func testMallocCallsDoNotGrowWithSteps() throws {
        #if !os(Linux)
        throw XCTSkip("LD_PRELOAD counting is Linux-only")
        #else
        let (library, folder) = try mallocCounter()
        let short = try mallocCalls(tutorial(steps: 1_000), named: "steps-1000", library: library, folder: folder)
        let long = try mallocCalls(tutorial(steps: 3_000), named: "steps-3000", library: library, folder: folder)
        // 2,000 more steps; a single allocation per step would add 2,000 calls. The few
        // extra allow for longer number text in the output.
        XCTAssertLessThan(abs(long - short), 50, "1,000 steps: \(short) malloc calls; 3,000 steps: \(long)")
        XCTAssertGreaterThan(short, 0, "the counter did not count")
        #endif
    }

    /// The general path allocates nothing per step on one thread. On two threads each
    /// handoff allocates once (the context `withoutActuallyEscaping` gives the closure the
    /// C team calls: Docs/architecture.md), and a step of a deferred update takes three:
    /// the evaluation by rows, the deltas by rows, the gradients and steps by parameters.
    func testTheGeneralPathAllocatesNothingPerStepOnOneThreadAndOncePerHandoffOnTwo() throws {
        #if !os(Linux)
        throw XCTSkip("LD_PRELOAD counting is Linux-only")
        #else
        let (library, folder) = try mallocCounter()
        for threads in [1, 2] {
            let arguments = ["--threads", "\(threads)"]
            let short = try mallocCalls(digitsLike(steps: 1_000), named: "digits-1000", arguments: arguments,
                                        library: library, folder: folder)
            let long = try mallocCalls(digitsLike(steps: 3_000), named: "digits-3000", arguments: arguments,
                                       library: library, folder: folder)
            let perStep = threads == 1 ? 0 : 3
            XCTAssertLessThan(abs(long - short - 2_000 * perStep), 50,
                              "\(threads) thread(s): 1,000 steps \(short) malloc calls, 3,000 steps \(long)")
        }
        #endif
    }
}
