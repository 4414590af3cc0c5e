import Planning
@testable import Running
import TestSupport
import Validation
import XCTest

/// `ThreadChoice` keeps whichever of one and two threads its clock says is faster, stops
/// timing where there is nothing to choose, and a run whose steps change between one and
/// two threads gives the bits of a run on either.
final class ThreadChoiceTests: XCTestCase {
    /// A clock the test advances by hand.
    private final class ManualClock {
        var now: UInt64 = 1_000
    }

    private let adaptive = KernelOptions(implementation: .generic, threads: 2, adaptsThreads: true)

    private func adaptiveChoice(_ clock: ManualClock) -> ThreadChoice {
        ThreadChoice(adaptive, clock: { clock.now })
    }

    /// Runs `steps` steps through `choice`, each taking `oneThread` or `twoThreads`
    /// nanoseconds on `clock` as the choice splits it or not; returns the splits made.
    private func run(_ choice: inout ThreadChoice, _ clock: ManualClock, steps: Int,
                     oneThread: UInt64, twoThreads: UInt64) -> [Bool] {
        (0..<steps).map { _ in
            let splits = choice.beginStep()
            clock.now += splits ? twoThreads : oneThread
            choice.endStep()
            return splits
        }
    }

    func testKeepsOneThreadWhenItIsFaster() {
        let clock = ManualClock()
        var choice = adaptiveChoice(clock)
        // 57 µs a step on two threads, 36 on one: w3 when the virtual CPUs are far apart.
        let splits = run(&choice, clock, steps: 2_000, oneThread: 36_000, twoThreads: 57_000)
        XCTAssertFalse(choice.splits)
        XCTAssertEqual(choice.changes, 1)
        XCTAssertTrue(splits.prefix(4).allSatisfy { $0 }, "the first window runs on two threads")
        XCTAssertFalse(splits[4], "then a probe on one")
        // Windows of 4 steps (250 µs / 57 µs, at least 4): the first, the probe that changes
        // the choice, then probes on two threads at windows 5, 14, 47 (2, 8 and 32 windows
        // after the one before) and every 65th window from 112: 9 probes in 500 windows.
        XCTAssertEqual(splits.filter { $0 }.count, 4 + 9 * 4)
    }

    func testKeepsTwoThreadsWhenTheyAreFaster() {
        let clock = ManualClock()
        var choice = adaptiveChoice(clock)
        // 26 µs on two threads, 37 on one: w3 when they are close.
        let splits = run(&choice, clock, steps: 2_000, oneThread: 37_000, twoThreads: 26_000)
        XCTAssertTrue(choice.splits)
        XCTAssertEqual(choice.changes, 0)
        // The first window of 4 steps, then windows of 9 (250 µs / 26 µs): probes on one
        // thread at windows 2, 11, 44, 109 and 174 (right after the first, then after 8, 32
        // and 64 windows); 2,000 steps make 222 windows.
        XCTAssertEqual(splits.filter { !$0 }.count, 5 * 9)
        XCTAssertEqual(choice.stepsOnOneThread, 5 * 9)
    }

    func testFollowsAChangeOfTheMachine() {
        let clock = ManualClock()
        var choice = adaptiveChoice(clock)
        _ = run(&choice, clock, steps: 1_000, oneThread: 36_000, twoThreads: 26_000)
        XCTAssertTrue(choice.splits)
        _ = run(&choice, clock, steps: 1_000, oneThread: 36_000, twoThreads: 57_000)
        XCTAssertFalse(choice.splits, "at most 64 windows after the machine changed")
        _ = run(&choice, clock, steps: 1_000, oneThread: 36_000, twoThreads: 26_000)
        XCTAssertTrue(choice.splits)
        XCTAssertEqual(choice.changes, 2)
    }

    func testAMarginOfThreePerCentKeepsTheChoice() {
        let clock = ManualClock()
        var choice = adaptiveChoice(clock)
        _ = run(&choice, clock, steps: 2_000, oneThread: 49_000, twoThreads: 50_000)
        XCTAssertTrue(choice.splits, "2 % faster on one thread is within the noise")
        XCTAssertEqual(choice.changes, 0)
        let faster = ManualClock()
        var changed = adaptiveChoice(faster)
        _ = run(&changed, faster, steps: 2_000, oneThread: 48_000, twoThreads: 50_000)
        XCTAssertFalse(changed.splits, "4 % faster on one thread is not")
    }

    func testShortAndLongStepsAreNotTimedAfterTheFirstWindow() {
        for (oneThread, twoThreads) in [(UInt64(3_000), UInt64(4_000)), (9_000_000, 2_000_000)] {
            let clock = ManualClock()
            var reads = 0
            var choice = ThreadChoice(adaptive, clock: { reads += 1; return clock.now })
            let splits = run(&choice, clock, steps: 1_000, oneThread: oneThread, twoThreads: twoThreads)
            XCTAssertTrue(splits.allSatisfy { $0 }, "\(oneThread), \(twoThreads)")
            XCTAssertEqual(reads, 2 * 4, "one window of four steps, two readings each")
        }
    }

    func testUntimedStepsRunOnTheChoiceAndAFixedCountIsNeverTimed() {
        let clock = ManualClock()
        var reads = 0
        var fixed = ThreadChoice(KernelOptions(implementation: .generic, threads: 2), clock: { reads += 1; return clock.now })
        XCTAssertTrue(fixed.beginStep())
        fixed.endStep()
        var one = ThreadChoice(KernelOptions(implementation: .generic, threads: 1, adaptsThreads: true), clock: { reads += 1; return clock.now })
        XCTAssertFalse(one.beginStep())
        one.endStep()
        XCTAssertEqual(reads, 0)

        var choice = adaptiveChoice(clock)
        _ = run(&choice, clock, steps: 4, oneThread: 36_000, twoThreads: 57_000)   // the first window
        XCTAssertTrue(choice.beginStep(timed: false), "a short batch during the probe stays on the choice")
        choice.endStep()
        XCTAssertFalse(choice.beginStep(), "the probe")
    }

    /// A run whose steps go back and forth between one and two threads gives every bit of the runs on one and on
    /// two threads: losses, history, outputs and parameters.
    func testARunThatChangesThreadsGivesTheBitsOfEither() throws {
        let samples = TestSpecs.oneHotSamples(64, inputs: 40, classes: 10, seed: 21)
        // 32 x 300 x 40 multiply-adds in the first layer's products, its 9,600 tanh values
        // and Adam on its 12,300 parameters: all split on two threads.
        let spec = """
            nnrun: 1
            name: changing
            seed: 3
            model:
              inputs: 40
              layers:
                - {name: a, units: 300, activation: tanh, weights: {init: xavier_uniform}, bias: 0.1}
                - {name: out, units: 10, activation: softmax, weights: {init: xavier_normal}, bias: 0}
            data:
            \(samples)
            training:
              loss: cross_entropy
              optimizer: {name: adam}
              learning_rate: 0.001
              batch: 32
              shuffle: {}
              epochs: 100
            record: {every: 10}
            """
        let plan = Planner.plan(try Training.validate(spec))
        // Steps that get 1 % faster each (200 µs at first): every probe window is about 4 %
        // faster than the window before it, so every probe changes the choice.
        var stepTime = 200_000.0
        var now: UInt64 = 1
        var changing = ThreadChoice(adaptive, clock: {
            stepTime *= 0.995   // two readings a step
            now += UInt64(stepTime)
            return now
        })
        let changed = Runner.run(plan, kernels: adaptive, threads: &changing)
        // 200 steps (2 a epoch, both of 32 samples) in windows of 4 (the first window's steps
        // take about 196 µs): window 1 on two threads, then a probe at windows 2, 5, 8 ... 50
        // (each one changes the choice, and the next comes 2 windows later): 17 changes. The
        // windows alternate in threes, one thread first: 2-4 on one, 5-7 on two, ..., and 50
        // on one, so 25 windows, 100 steps, on one thread.
        XCTAssertEqual(changing.changes, 17)
        XCTAssertEqual(changing.stepsOnOneThread, 100)
        for threads in [1, 2] {
            let fixed = Runner.run(plan, kernels: KernelOptions(implementation: .generic, threads: threads))
            let (these, those) = (changed.bitPatterns, fixed.bitPatterns)
            XCTAssertEqual(these.count, those.count)
            XCTAssertEqual(zip(these, those).filter { $0 != $1 }.count, 0, "numbers that differ from the run on \(threads) thread(s)")
        }
    }
}
