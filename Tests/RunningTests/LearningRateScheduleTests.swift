import Foundation
import Planning
import Running
import TestSupport
import XCTest

/// The schedules' rates against torch.optim.lr_scheduler's closed forms worked out by hand
/// (StepLR: lr0 gamma^floor(k / step_size); ExponentialLR: lr0 gamma^k; CosineAnnealingLR:
/// eta_min + (lr0 - eta_min)(1 + cos(pi k / t_max)) / 2), with the documented warm-up
/// (lr0 k / N for k < N, then the schedule on k - N) and counters (every: epoch, step).
final class LearningRateScheduleTests: XCTestCase {
    /// Three samples, batch 2: two updates per epoch (the second epoch's first batch has one sample).
    private func spec(schedule: String, learningRate: Double = 0.8, steps: Int = 8, record: String = "") -> String {
        """
        nnrun: 1
        name: scheduled
        model:
          inputs: 1
          layers:
            - {name: out, units: 1, activation: linear, weights: [[0.5]]}
        data:
          - {inputs: [1], targets: [1]}
          - {inputs: [2], targets: [1]}
          - {inputs: [3], targets: [1]}
        training:
          loss: mse
          learning_rate: \(learningRate)
          steps: \(steps)
          batch: 2
          schedule: \(schedule)
        \(record)
        """
    }

    private func rates(_ schedule: String, learningRate: Double = 0.8, steps: Int = 8) throws -> [Double] {
        let plan = Planner.plan(try Training.validate(spec(schedule: schedule, learningRate: learningRate, steps: steps)))
        return (1...steps).map { plan.learningRate(update: $0) }
    }

    func testStepScheduleCountedInSteps() throws {
        // k = 0...7, lr 0.8 * 0.5^floor(k / 2).
        XCTAssertEqual(try rates("{name: step, step_size: 2, gamma: 0.5, every: step}"),
                       [0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.1, 0.1])
    }

    func testStepScheduleCountedInEpochsByDefault() throws {
        // Two updates per epoch: k = 0, 0, 1, 1, 2, 2, 3, 3; step_size 1, gamma 0.5.
        XCTAssertEqual(try rates("{name: step, step_size: 1, gamma: 0.5}"), [0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.1, 0.1])
        // torch's StepLR default gamma is 0.1: k = 0, 0, 1, 1, 2, 2, 3, 3 with step_size 2.
        let defaults = try rates("{name: step, step_size: 2}", learningRate: 1)
        XCTAssertEqual(Array(defaults.prefix(4)), [1, 1, 1, 1])
        XCTAssertEqual(defaults[4], 0.1, accuracy: 1e-17)
        XCTAssertEqual(defaults[7], 0.1, accuracy: 1e-17)
    }

    func testExponentialScheduleWithWarmup() throws {
        // k = 0...7, warmup 2: k = 0 -> 0, k = 1 -> 0.8 * 1 / 2 = 0.4; then j = k - 2 = 0...5: 0.8 * 0.5^j.
        XCTAssertEqual(try rates("{name: exponential, gamma: 0.5, warmup: 2, every: step}"),
                       [0, 0.4, 0.8, 0.4, 0.2, 0.1, 0.05, 0.025])
    }

    func testExponentialWarmupCountedInEpochs() throws {
        // warmup 4 epochs: k = 0, 0, 1, 1, 2, 2, 3, 3 -> 0.8 k / 4 = 0, 0, 0.2, 0.2, 0.4, 0.4, 0.6, 0.6.
        let values = try rates("{name: exponential, gamma: 0.9, warmup: 4}")
        for (ours, expected) in zip(values, [0, 0, 0.2, 0.2, 0.4, 0.4, 0.6, 0.6]) {
            XCTAssertEqual(ours, expected, accuracy: 2e-16)
        }
    }

    func testCosineScheduleFollowsTheClosedFormAlsoBeyondTMax() throws {
        // lr0 0.9, eta_min 0.1, t_max 4, every step: j = 0...8.
        // cos(0) = 1 -> 0.9; cos(pi/4) = sqrt(2)/2 -> 0.1 + 0.8 (1 + 0.70710678...) / 2; cos(pi/2) = 0 -> 0.5;
        // cos(3pi/4) -> 0.1 + 0.8 (1 - 0.7071...) / 2; cos(pi) = -1 -> 0.1; then the cosine rises again:
        // j = 5 as j = 3, j = 6 as j = 2, j = 7 as j = 1, j = 8 = 2 t_max back at 0.9.
        let half = 2.0.squareRoot() / 2
        let expected = [0.9, 0.1 + 0.8 * (1 + half) / 2, 0.5, 0.1 + 0.8 * (1 - half) / 2, 0.1,
                        0.1 + 0.8 * (1 - half) / 2, 0.5, 0.1 + 0.8 * (1 + half) / 2, 0.9]
        let values = try rates("{name: cosine, t_max: 4, eta_min: 0.1, every: step}", learningRate: 0.9, steps: 9)
        XCTAssertEqual(values.count, expected.count)
        for (k, (ours, value)) in zip(values, expected).enumerated() { XCTAssertEqual(ours, value, accuracy: 2e-16, "k = \(k)") }
        // The exact points come out exactly: 0.1 + 0.8 * 2 / 2 = 0.9, 0.1 + 0.8 / 2 = 0.5, 0.1 + 0 = 0.1.
        XCTAssertEqual(values[0], 0.1 + 0.8 * 2 / 2)
        XCTAssertEqual(values[2], 0.1 + 0.8 * 1 / 2)
        XCTAssertEqual(values[4], 0.1)
    }

    func testCosineWithWarmupStartsAtZero() throws {
        // warmup 2 steps: 0, 0.4 (= 0.8 * 1 / 2); then j = 0 -> 0.8, j = 2 -> eta_min 0 + 0.8 / 2 = 0.4.
        let values = try rates("{name: cosine, t_max: 4, warmup: 2, every: step}", steps: 5)
        XCTAssertEqual(values[0], 0)
        XCTAssertEqual(values[1], 0.4)
        XCTAssertEqual(values[2], 0.8)
        XCTAssertEqual(values[4], 0.4)
    }

    func testTheUpdatesUseTheScheduledRate() throws {
        // One weight w, input 1, target 0, half squared error: dE/dw = w, so plain SGD gives
        // w_t = w_{t-1} (1 - lr_t). Rates 0.5, 0.25, 0.125 (exponential, gamma 0.5, every step):
        // w = 1 * 0.5 = 0.5, 0.5 * 0.75 = 0.375, 0.375 * 0.875 = 0.328125 (all exact).
        let result = try Training.run("""
            nnrun: 1
            name: scheduled-sgd
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
            record: {trace: [1, 2, 3]}
            """)
        XCTAssertEqual(result.trace.map { $0.layers[0].weights[0][0] }, [0.5, 0.375, 0.328125])
        // The history's learning_rate: the rate of each recorded update; at step 0 the first update's.
        XCTAssertEqual(result.history.steps, [0, 1, 2, 3])
        XCTAssertEqual(result.history.learningRate, [0.5, 0.5, 0.25, 0.125])
    }

    func testNoScheduleMeansNoLearningRateSeries() throws {
        let result = try Training.run(TestSpecs.twoSampleLine)
        XCTAssertNil(result.history.learningRate)
    }

    func testHistoryRecordsTheRateOfEachRecordedStep() throws {
        let text = spec(schedule: "{name: step, step_size: 1, gamma: 0.5}", steps: 8, record: "record: {every: 3}")
        let result = try Training.run(text)
        // Recorded steps 0, 3, 6, 8: epochs (k) of updates 1, 3, 6, 8 are 0, 1, 2, 3.
        XCTAssertEqual(result.history.steps, [0, 3, 6, 8])
        XCTAssertEqual(result.history.learningRate, [0.8, 0.4, 0.2, 0.1])
    }
}
