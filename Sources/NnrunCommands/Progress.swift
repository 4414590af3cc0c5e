import Foundation

/// A live progress line on standard error, only when standard error is a terminal:
/// `runs 3/12` for sweeps, `step 41000/100000  loss 0.0123  52000 steps/s  ETA 1s` for runs.
/// Never written to files, nothing at all with --quiet or when redirected.
struct Progress {
    let enabled: Bool
    let total: Int
    private let started = ContinuousClock.now
    private var shown = false
    private var lastShown = ContinuousClock.now

    init(enabled: Bool, total: Int) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
        self.total = total
    }

    mutating func update(done: Int) {
        show("runs \(done)/\(total)")
    }

    mutating func update(step: Int, loss: Double) {
        guard enabled, ContinuousClock.now - lastShown > .milliseconds(100) else { return }
        lastShown = ContinuousClock.now
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.seconds
        let rate = seconds > 0 ? Double(step) / seconds : 0
        let eta = rate > 0 ? Double(total - step) / rate : 0
        show("step \(step)/\(total)  loss \(String(format: "%.6g", loss))  \(Int(rate)) steps/s  ETA \(Int(eta.rounded()))s")
    }

    private mutating func show(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
        shown = true
    }

    /// Clears the line.
    mutating func finish() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
