import CKernels

/// The run's second thread (`nn_team` in CKernels): a worker that stays awake between the
/// parallel parts of a step, so that handing it half of a product or of an optimizer update
/// costs well under a microsecond instead of a thread wake-up.
final class Team {
    private let raw: OpaquePointer?

    /// A team whose worker starts at its first task.
    init() { raw = nn_team_create() }

    deinit { nn_team_destroy(raw) }

    /// Runs `body(0..<half)` on this thread and `body(half..<count)` on the worker, half
    /// being count / 2 rounded up to a multiple of `granule` (a kernel's tile or vector
    /// width), and returns when both have returned. The two halves must write disjoint
    /// memory.
    func inTwoHalves(of count: Int, granule: Int = 1, _ body: (Range<Int>) -> Void) {
        let half = min(count, (count / 2 + granule - 1) / granule * granule)
        inTwoParts { part in body(part == 0 ? 0..<half : half..<count) }
    }

    /// Runs `body(0)` on this thread and `body(1)` on the worker, and returns when both
    /// have returned. The two parts must write disjoint memory. The closure is handed to C
    /// by address, for the duration of the call only. One small allocation per call: the
    /// context of a closure made escaping by `withoutActuallyEscaping` (a closure stored
    /// bare, not in a struct, costs a second one, a reabstraction thunk's).
    func inTwoParts(_ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            var task = Task(run: body)
            withUnsafeMutablePointer(to: &task) { task in
                nn_team_run(raw, { context, part in
                    context.unsafelyUnwrapped.assumingMemoryBound(to: Task.self).pointee.run(Int(part))
                }, task)
            }
        }
    }

    /// A part's work, as C holds it.
    private struct Task {
        let run: (Int) -> Void
    }
}
