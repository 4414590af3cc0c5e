import Foundation
import TestSupport
import XCTest

/// The compiled script with adamw, rmsprop (plain, momentum, centered) and each
/// learning-rate schedule agrees with nnrun at rel 1e-9: torch.optim.AdamW and
/// torch.optim.RMSprop fed the spec's settings, the rate set on every param_group before
/// each step. And nnrun's rates against torch.optim.lr_scheduler's own schedulers.
final class ScheduleAndOptimizerScriptTests: XCTestCase {
    private static let cases: [(name: String, optimizer: String, schedule: String?)] = [
        ("adamw-defaults", "adamw", nil),
        ("adamw-cosine-warmup", "{name: adamw, weight_decay: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6}",
         "{name: cosine, t_max: 3, eta_min: 0.001, warmup: 1}"),
        ("rmsprop-step", "rmsprop", "{name: step, step_size: 2, gamma: 0.5}"),
        ("rmsprop-momentum-exponential", "{name: rmsprop, momentum: 0.9, alpha: 0.9, weight_decay: 0.01}",
         "{name: exponential, gamma: 0.9, every: step}"),
        ("rmsprop-centered", "{name: rmsprop, centered: true, epsilon: 1e-6}", "{name: cosine, t_max: 7, every: step, warmup: 3}"),
        ("rmsprop-centered-momentum", "{name: rmsprop, centered: true, momentum: 0.5}", nil),
        ("sgd-cosine-beyond-t-max", "{name: sgd, momentum: 0.9}", "{name: cosine, t_max: 2}"),
        // The immediate order steps one layer's optimizer at a time, each at the step's rate.
        ("adamw-immediate-step", "{name: adamw, weight_decay: 0.05}\n  update: immediate", "{name: step, step_size: 1, gamma: 0.7, warmup: 1}"),
    ]

    private func spec(name: String, optimizer: String, schedule: String?) -> String {
        """
        nnrun: 1
        name: \(name)
        seed: 3
        model:
          inputs: 2
          layers:
            - {name: hidden, units: 3, activation: tanh, weights: {init: xavier_uniform}, bias: [0.1, -0.1, 0.05]}
            - {name: out, units: 1, activation: sigmoid, weights: {init: xavier_uniform}, bias: [0]}
        data:
          - {inputs: [0, 0], targets: [0]}
          - {inputs: [0, 1], targets: [1]}
          - {inputs: [1, 0], targets: [1]}
          - {inputs: [1, 1], targets: [0]}
          - {inputs: [0.5, 0.5], targets: [1]}
        training:
          loss: binary_cross_entropy
          optimizer: \(optimizer)
          learning_rate: 0.05
          epochs: 6
          batch: 2
        \(schedule.map { "  schedule: \($0)" } ?? "")
        record: {every: 1, trace: [4]}

        """
    }

    func testAdaptiveOptimizersAndSchedulesAgreeWithNnrunAtRelativeOneInABillion() throws {
        let harness = try PyTorchHarness()
        defer { harness.cleanUp() }
        let jobs = try Self.cases.map { item -> PyTorchHarness.Job in
            let url = harness.folder.appendingPathComponent(item.name + ".yaml")
            try spec(name: item.name, optimizer: item.optimizer, schedule: item.schedule).write(to: url, atomically: true, encoding: .utf8)
            return try harness.prepare(url, name: item.name)
        }
        let failures = try harness.runScripts(jobs)
        for job in jobs {
            if let failure = failures[job.name] { XCTFail("\(job.name): \(failure)"); continue }
            if let disagreement = try harness.disagreement(job) { XCTFail("\(job.name) differs from nnrun:\n\(disagreement)") }
            // A scheduled spec's learning_rate series is compared too (a common section's key).
            let written = try String(contentsOf: job.torchResults, encoding: .utf8)
            let scheduled = Self.cases.first { $0.name == job.name }?.schedule != nil
            XCTAssertEqual(written.contains("\"learning_rate\": ["), scheduled, job.name)
        }
    }

    /// nnrun's `learning_rate` series (every: step, so k counts updates) against
    /// torch.optim.lr_scheduler's StepLR, ExponentialLR and CosineAnnealingLR stepped once per
    /// update, their rates read with get_last_lr() before each optimizer step.
    func testRatesMatchTorchsSchedulers() throws {
        try PyTorchHarness.requireTorch()
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let schedules = [
            ("step", "{name: step, step_size: 3, gamma: 0.7, every: step}", "torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.7)"),
            ("exponential", "{name: exponential, gamma: 0.9, every: step}", "torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)"),
            ("cosine", "{name: cosine, t_max: 7, eta_min: 0.01, every: step}",
             "torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.01)"),
        ]
        for (name, schedule, scheduler) in schedules {
            let url = folder.appendingPathComponent(name + ".yaml"), results = folder.appendingPathComponent(name + ".json")
            // 5 samples, batch 2: 3 updates per epoch, 8 epochs = 24 updates (beyond 2 t_max for the cosine).
            let text = spec(name: name, optimizer: "sgd", schedule: schedule).replacingOccurrences(of: "epochs: 6", with: "epochs: 8")
            try text.write(to: url, atomically: true, encoding: .utf8)
            XCTAssertEqual(try NnrunProcess.run([url.path, "-o", results.path, "--quiet"]).status, 0)
            let ran = try PyTorchHarness.python(["-c", """
                import json, sys, torch
                history = json.load(open(sys.argv[1]))["history"]
                o = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.05)
                s = \(scheduler)
                rates = []
                for step in range(1, max(history["step"]) + 1):
                    rates.append(s.get_last_lr()[0])
                    o.step()
                    s.step()
                worst = 0.0
                for step, ours in zip(history["step"], history["learning_rate"]):
                    theirs = rates[max(step, 1) - 1]
                    worst = max(worst, abs(ours - theirs) / abs(theirs))
                print(len(rates), worst)
                sys.exit(0 if worst <= 1e-12 and len(rates) == 24 else 1)
                """, results.path])
            XCTAssertEqual(ran.status, 0, "\(name): \(ran.stdout) \(ran.stderr)")
        }
    }
}
