/// Whether a run's steps split their large products, activations and updates over the two
/// threads, chosen by timing the steps both ways (`KernelOptions.adaptsThreads`).
///
/// Why: handing half of an operation to the other CPU costs a round trip, and the cache
/// lines each half writes move to the CPU that reads them next. On a virtual machine that
/// cost depends on where the host has put the two virtual CPUs at the moment, and it
/// changes within seconds: on this project's machine one handoff's round trip measured
/// 44 ns at one moment and 370 ns at another, and w3's step took 26 µs on two threads and
/// 36 µs on one in one minute, then 57 µs on two and 36 µs on one in the next
/// (Docs/performance.md, "Two threads on a moving machine"). Every element is computed by
/// the same operations on either thread, so either choice gives the same bits, and the
/// runner can use whichever is faster now.
///
/// How: the steps are timed in windows of several steps each (`stepsPerWindow`, about a
/// quarter of a millisecond; evaluations and short batches are not timed, and evaluations
/// always split). In a whole-set run in data order a step's forward pass is the evaluation
/// after the step before, so there the choice covers the backward pass and the update. After each
/// window on the current choice a probe window may run the other way; if it is more than
/// 3 % faster per step, it becomes the choice. The first probe follows the first window;
/// while the choice stands, the next come after 8, 32 and then every 64 windows, and after
/// 2, 8, 32 ... again when it has changed: a probe the wrong way costs a window of slower
/// steps. The first window also decides whether to choose at all: a step under 5 µs has
/// nothing large enough to split, and one of a millisecond or more gains from the second
/// thread far more than a handoff costs, so both keep splitting and are not timed again.
struct ThreadChoice {
    /// The choice for the steps after the probes: split or not.
    private(set) var splits: Bool
    /// Times the choice has changed (read by tests).
    private(set) var changes = 0
    /// Steps this choice has run on one thread (read by tests).
    private(set) var stepsOnOneThread = 0

    private var adapting: Bool
    private var probing = false
    private var stepsPerWindow = 4
    private var calibrated = false
    private var windowSteps = 0
    private var windowNanoseconds: UInt64 = 0
    private var choiceNanosecondsPerStep = 0.0
    /// Windows on the choice before the next probe (the first probe follows the first
    /// window directly).
    private var windowsUntilProbe = 0
    /// The last interval between probes: times 4 after a probe that keeps the choice (2
    /// becomes 8, then 32, then 64 at most), back to 2 after one that changes it.
    private var probeInterval = 2
    private var started: UInt64 = 0
    private var timing = false
    private let clock: () -> UInt64

    /// Steps shorter than this have nothing to split (the smallest split operation, 2^12
    /// Adam parameters or 2^16 multiply-adds, takes about a microsecond).
    static let shortestStep = 5_000.0
    /// Steps this long or longer keep two threads: a handoff costs under a microsecond.
    static let longestStep = 1_000_000.0
    /// The time a window of steps aims at, in nanoseconds.
    static let window = 250_000.0
    /// How much faster a probe must be to change the choice.
    static let margin = 0.97
    /// Windows between probes at most.
    static let longestInterval = 64

    /// `clock` gives nanoseconds on a monotonic scale; by default `ContinuousClock`'s since
    /// the choice was made (tests give their own).
    init(_ kernels: KernelOptions, clock: (() -> UInt64)? = nil) {
        splits = kernels.threads > 1
        adapting = kernels.adaptsThreads   // only ever true with two threads
        let origin = ContinuousClock.now
        self.clock = clock ?? {
            let (seconds, attoseconds) = origin.duration(to: .now).components
            return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
        }
    }

    /// Whether the next step splits its work, and starts its clock. A step that is not
    /// `timed` (a short last batch) runs on the current choice.
    @inline(__always)
    mutating func beginStep(timed: Bool = true) -> Bool {
        guard adapting else { return splits }
        let splitsNow = probing && timed ? !splits : splits
        if !splitsNow { stepsOnOneThread += 1 }
        timing = timed
        if timed { started = clock() }
        return splitsNow
    }

    /// Stops the step's clock.
    @inline(__always)
    mutating func endStep() {
        guard adapting, timing else { return }
        windowNanoseconds &+= clock() &- started
        windowSteps += 1
        if windowSteps == stepsPerWindow { windowEnded() }
    }

    private mutating func windowEnded() {
        let perStep = Double(windowNanoseconds) / Double(windowSteps)
        windowSteps = 0
        windowNanoseconds = 0
        if !calibrated {
            calibrated = true
            if perStep < Self.shortestStep || perStep >= Self.longestStep {
                adapting = false
                return
            }
            stepsPerWindow = max(4, Int(Self.window / perStep))
            choiceNanosecondsPerStep = perStep
            probing = true
            return
        }
        if probing {
            probing = false
            if perStep < choiceNanosecondsPerStep * Self.margin {
                splits.toggle()
                changes += 1
                choiceNanosecondsPerStep = perStep
                probeInterval = 2
            } else {
                probeInterval = min(4 * probeInterval, Self.longestInterval)
            }
            windowsUntilProbe = probeInterval
            return
        }
        choiceNanosecondsPerStep = perStep
        windowsUntilProbe -= 1
        if windowsUntilProbe == 0 { probing = true }
    }
}
