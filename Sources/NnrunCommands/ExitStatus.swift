/// Exit codes, from BSD's sysexits.h (Docs/exit-codes.md).
public enum ExitStatus: Int32, Sendable, Comparable {
    case ok = 0
    /// A check failed, the compared files differ, or a sweep's run did not succeed.
    case failed = 1
    /// Training diverged (the loss became NaN or infinite); the results file was still written.
    case diverged = 3
    /// EX_USAGE: the command line is wrong (argument-parser exits with it too).
    case usage = 64
    /// EX_DATAERR: the spec is invalid.
    case invalidSpec = 65
    /// EX_NOINPUT: the spec file is missing or unreadable.
    case noInput = 66
    /// EX_SOFTWARE: a bug in nnrun.
    case internalError = 70
    /// EX_CANTCREAT: the results file cannot be written.
    case cannotCreateOutput = 73

    public static func < (a: ExitStatus, b: ExitStatus) -> Bool { a.rawValue < b.rawValue }
}
