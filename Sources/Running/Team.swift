import CKernels

/// The run's second thread (`nn_team` in CKernels): a worker that stays awake between the
/// parallel parts of a step, so that handing it half of a product or of an optimizer update
/// costs well under a microsecond instead of a thread wake-up.
final class Team {
    private let raw: OpaquePointer?

    /// A team whose worker starts at the first `inTwoParts`.
    init() { raw = nn_team_create() }

    deinit { nn_team_destroy(raw) }

    /// Runs `body(0)` on this thread and `body(1)` on the worker, and returns when both
    /// have returned. The two parts must write disjoint memory. Allocates nothing: the
    /// closure is handed to C by address, for the duration of the call only.
    func inTwoParts(_ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            var task = body
            withUnsafeMutablePointer(to: &task) { task in
                nn_team_run(raw, { context, part in
                    context.unsafelyUnwrapped.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(part))
                }, task)
            }
        }
    }
}
