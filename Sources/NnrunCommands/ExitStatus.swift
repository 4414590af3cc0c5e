import ArgumentParser

/// Exit codes, from BSD's sysexits.h (Docs/exit-codes.md).
public enum ExitStatus: Int32, Sendable {
    case ok = 0
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

    var exitCode: ExitCode { ExitCode(rawValue) }
}
