import Foundation
import Running
import Spec
import TestSupport
import Validation
import XCTest

/// `training.early_stopping`: Keras' rule on given sequences, and runs whose loss curve is
/// known in closed form.
final class EarlyStoppingTests: XCTestCase {
    private func verdicts(_ values: [Double], monitor: Monitor = .loss, patience: Int, minDelta: Double) -> [EarlyStoppingRule.Verdict] {
        var rule = EarlyStoppingRule(EarlyStopping(monitor: monitor, patience: patience, minDelta: minDelta, restoreBest: false))
        var verdicts: [EarlyStoppingRule.Verdict] = []
        for (index, value) in values.enumerated() {
            let verdict = rule.check(step: index + 1, value: value)
            verdicts.append(verdict)
            if verdict == .stop { break }
        }
        return verdicts
    }

    func testALossMustImproveByMoreThanMinDeltaWithinPatienceChecks() {
        // min_delta 0.05, patience 2: 5 improves (from +inf); 4 (4.05 < 5); 4.5 waits (wait 1);
        // 3.9 improves (3.95 < 4); 3.95 waits (4.0 is not < 3.9); 3.96 waits a second time: stop.
        XCTAssertEqual(verdicts([5, 4, 4.5, 3.9, 3.95, 3.96, 3.97], patience: 2, minDelta: 0.05),
                       [.improved, .improved, .waiting, .improved, .waiting, .stop])
    }

    func testAccuracyImprovesUpwards() {
        // 0.5 improves (from -inf); 0.6 (0.59 > 0.5); 0.605 does not (0.595 > 0.6 is false): stop with patience 1.
        XCTAssertEqual(verdicts([0.5, 0.6, 0.605], monitor: .validationAccuracy, patience: 1, minDelta: 0.01),
                       [.improved, .improved, .stop])
    }

    func testTheFirstCheckNeverStopsAndNaNNeverImproves() {
        // patience 0: a NaN at the first check waits (Keras never stops after its first epoch);
        // the second check without improvement stops.
        XCTAssertEqual(verdicts([.nan, .nan], patience: 0, minDelta: 0), [.waiting, .stop])
        // An equal value is no improvement with min_delta 0.
        XCTAssertEqual(verdicts([1, 1], patience: 0, minDelta: 0), [.improved, .stop])
    }

    /// y = w x with one sample x = 1, t = 0, w = 1, half squared error E = w^2 / 2, SGD with
    /// learning rate 0.5: dE/dw = w, so w_k = 0.5^k and E_k = 0.5 x 0.25^k, all exact in binary:
    /// E_1 = 0.125, E_2 = 0.03125, E_3 = 0.0078125, E_4 = 0.001953125, E_6 = 0.0001220703125.
    private func line(every: Int, restoreBest: Bool) -> String {
        """
        nnrun: 1
        name: halving
        model:
          inputs: 1
          layers:
            - {name: out, units: 1, activation: linear, weights: [[1.0]], bias: 0.0}
        data:
          - {inputs: [1], targets: [0]}
        training:
          loss: half_squared_error
          learning_rate: 0.5
          train_biases: false
          steps: 50
          early_stopping: {monitor: loss, patience: 1, min_delta: 0.01, restore_best: \(restoreBest)}
        record: {every: \(every)}
        """
    }

    func testARunStopsWhereTheLossCurveStopsImprovingByMinDelta() throws {
        // Checks at every step: E_2 + 0.01 < E_1, E_3 + 0.01 = 0.0178125 < E_2 = 0.03125
        // improve; E_4 + 0.01 = 0.011953125 is not < E_3 = 0.0078125: with patience 1, stop at 4.
        let result = try Training.run(line(every: 1, restoreBest: false))
        let stopping = try XCTUnwrap(result.stopping)
        XCTAssertTrue(stopping.stopped)
        XCTAssertEqual(result.steps, 4)
        XCTAssertEqual(stopping.step, 4)
        XCTAssertEqual(stopping.bestStep, 3)
        XCTAssertEqual(stopping.best, 0.0078125)
        XCTAssertEqual(stopping.parametersStep, 4)
        XCTAssertEqual(result.final.step, 4)
        XCTAssertEqual(result.final.layers[0].weights, [[0.0625]])
        XCTAssertEqual(result.history.steps, [0, 1, 2, 3, 4])
        XCTAssertEqual(result.status, .completed)
    }

    func testRestoreBestKeepsTheBestChecksParameters() throws {
        let result = try Training.run(line(every: 1, restoreBest: true))
        XCTAssertEqual(result.steps, 4)
        XCTAssertEqual(result.stopping?.parametersStep, 3)
        XCTAssertEqual(result.final.step, 3)
        XCTAssertEqual(result.final.layers[0].weights, [[0.125]])   // w_3 = 0.5^3
        XCTAssertEqual(result.final.loss, 0.0078125)
        XCTAssertEqual(result.history.loss.last, 0.001953125, "the history still ends at the stop step")
    }

    func testChecksHappenOnlyAtTheRecordedSteps() throws {
        // record.every 2: checks at 2, 4, 6. E_4 + 0.01 = 0.011953125 < E_2 = 0.03125 improves;
        // E_6 + 0.01 = 0.0101220703125 is not < E_4 = 0.001953125: stop at 6.
        let result = try Training.run(line(every: 2, restoreBest: false))
        XCTAssertEqual(result.steps, 6)
        XCTAssertEqual(result.stopping?.bestStep, 4)
        XCTAssertEqual(result.history.steps, [0, 2, 4, 6])
    }

    func testAWholeRunWithoutAStopSaysSo() throws {
        // min_delta 0: every E_k is smaller than the last, so all 5 steps run.
        let text = try line(every: 1, restoreBest: false)
            .replacing(exactlyOnce: "min_delta: 0.01", with: "min_delta: 0")
            .replacing(exactlyOnce: "steps: 50", with: "steps: 5")
        let result = try Training.run(text)
        XCTAssertEqual(result.stopping?.stopped, false)
        XCTAssertEqual(result.stopping?.bestStep, 5)
        XCTAssertEqual(result.steps, 5)
    }

    func testAFinalCheckLooksAtTheStepTheResultsHold() throws {
        // `at: final` is the step whose parameters the results hold: 3 with restore_best.
        let text = line(every: 1, restoreBest: true) + """

            expect:
              - {at: final, quantity: loss, value: 0.0078125, tolerance: {abs: 0}}
              - {at: final, quantity: layers.out.weights, value: [[0.125]], tolerance: {abs: 0}}
            """
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try text.write(to: folder.appendingPathComponent("spec.yaml"), atomically: true, encoding: .utf8)
        let check = try NnrunProcess.run(["check", "spec.yaml"], in: folder)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
    }

    func testASweepOverPatienceStopsWhereEachPatienceSays() throws {
        // patience 1 stops at 4 (above); patience 2 waits one check more: E_5 + 0.01 =
        // 0.0104882... is not < E_3 = 0.0078125 either, so it stops at 5.
        let text = line(every: 1, restoreBest: false) + "\nsweep:\n  training.early_stopping.patience: [1, 2]\n"
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try text.write(to: folder.appendingPathComponent("spec.yaml"), atomically: true, encoding: .utf8)
        let sweep = try NnrunProcess.run(["sweep", "spec.yaml", "-o", "out", "--quiet"], in: folder)
        XCTAssertEqual(sweep.status, 0, sweep.stdout + sweep.stderr)
        for (name, steps) in [("0-patience=1", 4), ("1-patience=2", 5)] {
            let data = try Data(contentsOf: folder.appendingPathComponent("out/\(name).results.json"))
            let results = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            XCTAssertEqual(results?["steps"] as? Int, steps, name)
        }
    }
}
