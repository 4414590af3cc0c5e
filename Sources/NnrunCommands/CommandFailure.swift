import Foundation
import Pipeline

/// How a command ends when it does not succeed: the exit status, and what to say on
/// standard error. Every failure is reported by `report()`: by `nnrun`'s main for the
/// command's own, by `check` and `validate` for a spec that fails while they go on.
public struct CommandFailure: Error {
    public var status: Int32
    /// Printed on standard error with a final line break; nil when the command has already
    /// said what went wrong (failed checks, differences).
    public var message: String?

    init(_ status: ExitStatus, _ message: String? = nil) {
        self.status = status.rawValue
        self.message = message
    }

    /// Stopped by SIGINT or SIGTERM: 128 + the signal, as shells report it (Docs/exit-codes.md).
    static var interrupted: CommandFailure {
        var failure = CommandFailure(.ok)
        failure.status = Interrupts.exitStatus
        return failure
    }

    init(_ failure: PipelineFailure) {
        self.init(CommandFailure.status(of: failure), failure.message)
        // Stopped by a signal: 128 + the signal, like a stopped run.
        if case .trainingInterrupted = failure { status = Interrupts.exitStatus }
    }

    /// The failure an error stands for, or nil for an error no command expects (a bug:
    /// exit 70) or one of argument-parser's own (usage, help, version).
    public init?(_ error: any Error) {
        switch error {
        case let failure as CommandFailure: self = failure
        case let failure as PipelineFailure: self.init(failure)
        case let failure as AtomicFile.WriteError: self.init(.unwritable(failure))
        case let failure as InputFile.ReadError: self.init(.unreadable(failure))
        default: return nil
        }
    }

    public func report() {
        if let message { Terminal.error(message) }
    }

    /// Reports a failure that stops one spec of several (`check`, `validate`) and returns its status.
    static func report(_ failure: PipelineFailure) -> ExitStatus {
        CommandFailure(failure).report()
        return status(of: failure)
    }

    /// The exit status of each of the pipeline's failures.
    static func status(of failure: PipelineFailure) -> ExitStatus {
        switch failure {
        case .unreadable, .missingFiles: .noInput
        case .invalidSpec, .overMemoryLimit, .invalidSweep, .unrecognized, .invalidInputs: .invalidSpec
        case .inconsistentShards: .failed
        case .unwritable: .cannotCreateOutput
        case .trainingDiverged: .diverged
        case .trainingInterrupted: .failed
        }
    }
}
