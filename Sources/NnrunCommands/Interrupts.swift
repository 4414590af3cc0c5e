import Foundation

/// The signal that asked the run to stop, 0 until one does. A plain global with a
/// constant initializer (no lazy initialization), written only by the handler: what a
/// signal handler may safely touch.
nonisolated(unsafe) private var receivedSignal: sig_atomic_t = 0

/// SIGINT (Ctrl-C) and SIGTERM stop a run at the end of the current step; the results
/// so far are written with status "interrupted" and nnrun exits 128 + the signal
/// (130, 143), as shells report a process ended by that signal.
enum Interrupts {
    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { number in receivedSignal = number }
        }
    }

    static var requested: Bool { receivedSignal != 0 }

    /// The exit status for the signal received.
    static var exitStatus: Int32 { 128 + receivedSignal }
}
