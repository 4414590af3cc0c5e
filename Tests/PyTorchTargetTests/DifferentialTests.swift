import Foundation
import TestSupport
import XCTest

/// 200 generated specs (GeneratedSpecs), each trained by nnrun and by its compiled PyTorch
/// script, agree at rel 1e-9: PyTorch's layers, autograd and torch.optim against nnrun's
/// kernels, on every combination the generator draws. The specs are written beside their
/// data files; the scripts to another folder and run from a third.
final class DifferentialTests: XCTestCase {
    static let count = 200

    func testGeneratedSpecsAgreeWithNnrunAtRelativeOneInABillion() throws {
        let harness = try PyTorchHarness()
        defer { harness.cleanUp() }
        let jobs = try (0..<Self.count).map { try Self.write(GeneratedSpecs.spec($0), into: harness) }
        let failures = try harness.runScripts(jobs)
        var disagreements = 0
        for job in jobs {
            if let failure = failures[job.name] { XCTFail("\(job.name): \(failure)"); disagreements += 1; continue }
            if let disagreement = try harness.disagreement(job) {
                disagreements += 1
                XCTFail("\(job.name) differs from nnrun (spec \(job.spec.path)):\n\(disagreement)\n"
                        + ((try? String(contentsOf: job.spec, encoding: .utf8)) ?? ""))
            }
        }
        XCTAssertEqual(disagreements, 0)
    }

    /// The generator covers what it promises: every loss, optimizer, order, data form.
    func testGeneratedSpecsCoverEveryKind() {
        let texts = (0..<Self.count).map { GeneratedSpecs.spec($0).yaml }
        for needle in ["half_squared_error", "loss: mse", "binary_cross_entropy", "cross_entropy", "name: sgd", "name: adam",
                       "nesterov: true", "weight_decay", "update: immediate", "batch: online", "batch: full", "shuffle: {}",
                       "shuffle: {seed", "epochs:", "steps:", "validation:", "csv:", "one_hot", "npy:", "train_biases: false",
                       "leaky_relu", "alpha:", "init: he_normal", "every:", "bias: ["] {
            XCTAssert(texts.contains { $0.contains(needle) }, "no generated spec has \(needle)")
        }
    }

    static func write(_ spec: GeneratedSpecs.Spec, into harness: PyTorchHarness) throws -> PyTorchHarness.Job {
        let folder = harness.folder.appendingPathComponent("specs/" + spec.name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in spec.files { try Data(file.bytes).write(to: folder.appendingPathComponent(file.name)) }
        let url = folder.appendingPathComponent(spec.name + ".yaml")
        try spec.yaml.write(to: url, atomically: true, encoding: .utf8)
        return try harness.prepare(url, name: spec.name)
    }
}
