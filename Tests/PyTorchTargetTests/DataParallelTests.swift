import Foundation
import TestSupport
import XCTest

/// The same scripts under `torchrun --nproc_per_node 2` (gloo, CPU): each step's batch is
/// split over the two processes, each scales its loss sum by the whole batch's size, and
/// the gradients are summed across them, so the run is nnrun's run again (rel 1e-9).
final class DataParallelTests: XCTestCase {
    /// A subset that has what splitting can get wrong: uneven shares (batches of 3 and 5),
    /// online batches (one process gets no sample), the last short batch of an epoch,
    /// shuffles, both update orders, every loss and optimizer, CSV and .npy data.
    static let generated = 0..<24

    func testTwoProcessesAgreeWithNnrunAtRelativeOneInABillion() throws {
        let harness = try PyTorchHarness()
        defer { harness.cleanUp() }
        var jobs = [try harness.prepare(Repository.file("specs/regression.yaml"), name: "shipped-regression")]
        jobs += try Self.generated.map { try DifferentialTests.write(GeneratedSpecs.spec($0), into: harness) }
        let texts = Self.generated.map { GeneratedSpecs.spec($0).yaml }
        for needle in ["update: immediate", "batch: online", "name: adam", "name: sgd", "shuffle:", "cross_entropy"] {
            XCTAssert(texts.contains { $0.contains(needle) }, "the data-parallel subset has no spec with \(needle)")
        }
        let failures = try harness.runScripts(jobs, processes: 2, timeout: 900)
        for job in jobs {
            if let failure = failures[job.name] { XCTFail("\(job.name) under torchrun: \(failure)"); continue }
            if let disagreement = try harness.disagreement(job) {
                XCTFail("\(job.name) under torchrun differs from nnrun:\n\(disagreement)")
            }
        }
    }
}
