import Foundation
import TestSupport
import XCTest

/// The schedule and optimizer keys through the commands: a sweep over a schedule's gamma,
/// `check` of a scheduled spec, `validate` and `plan` of each optimizer.
final class ScheduleCommandTests: XCTestCase {
    private let spec = """
        nnrun: 1
        name: swept
        model:
          inputs: 1
          layers:
            - {name: out, units: 1, activation: linear, weights: [[1.0]]}
        data:
          - {inputs: [1], targets: [0]}
        training:
          loss: half_squared_error
          learning_rate: 0.5
          steps: 3
          schedule: {name: exponential, gamma: 0.5, every: step}
        sweep:
          training.schedule.gamma: [0.5, 0.25]

        """

    private func json(_ url: URL) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    func testASweepOverAScheduleGammaRunsEachRate() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try spec.write(to: folder.appendingPathComponent("swept.yaml"), atomically: true, encoding: .utf8)
        let swept = try NnrunProcess.run(["sweep", "swept.yaml", "-o", "out", "--quiet"], in: folder)
        XCTAssertEqual(swept.status, 0, swept.stderr)
        // E = w^2 / 2, dE/dw = w, SGD: w_t = w_{t-1} (1 - lr_t) with lr_t = 0.5 gamma^(t - 1).
        for (index, gamma) in [0.5, 0.25].enumerated() {
            let rates = [0.5, 0.5 * gamma, 0.5 * gamma * gamma]
            var w = 1.0
            for rate in rates { w *= 1 - rate }
            let results = try json(folder.appendingPathComponent("out/\(index)-gamma=\(gamma).results.json"))
            let history = try XCTUnwrap(results["history"] as? [String: Any])
            // At step 0 the first update's rate, then each update's.
            XCTAssertEqual(history["learning_rate"] as? [Double], [0.5] + rates, "gamma \(gamma)")
            let final = try XCTUnwrap(results["final"] as? [String: Any])
            XCTAssertEqual(try XCTUnwrap(final["loss"] as? Double), w * w / 2, accuracy: 1e-15, "gamma \(gamma)")
        }
    }

    func testCheckRunsTheShippedScheduledSpecsChecks() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checked = try NnrunProcess.run(["check", Repository.file("specs/iris-scheduled.yaml").path, "--quiet"], in: folder)
        XCTAssertEqual(checked.status, 0, checked.stdout + checked.stderr)
    }

    func testPlanNamesEachNewOptimizer() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases = [("{name: adamw}", "by adamw (beta1 0.9, beta2 0.999, epsilon 1e-08, decoupled weight decay 0.01)", "2 x 1"),
                     ("{name: rmsprop, momentum: 0.9, centered: true}",
                      "by rmsprop (alpha 0.99, epsilon 1e-08, momentum 0.9, centered, weight decay 0.0)", "3 x 1"),
                     ("rmsprop", "by rmsprop (alpha 0.99, epsilon 1e-08, momentum 0.0, weight decay 0.0)", "1 x 1")]
        for (optimizer, update, state) in cases {
            let text = spec.replacingOccurrences(of: "  learning_rate: 0.5", with: "  optimizer: \(optimizer)\n  learning_rate: 0.5")
            try text.write(to: folder.appendingPathComponent("o.yaml"), atomically: true, encoding: .utf8)
            let plan = try NnrunProcess.run(["plan", "o.yaml"], in: folder)
            XCTAssertEqual(plan.status, 0, plan.stderr)
            XCTAssertTrue(plan.stdout.contains(update), plan.stdout)
            XCTAssertTrue(plan.stdout.contains(state), plan.stdout)
        }
    }
}
