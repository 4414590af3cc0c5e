import ArgumentParser
import Foundation
import NnrunCommands

// Like `Nnrun.main()`, except that a command's failure is reported by `CommandFailure`
// with its own exit status, and an error no command expected is reported as an internal
// error with exit code 70 (EX_SOFTWARE) rather than argument-parser's 1, which `check`
// uses for failing checks.
// The completion scripts add the default subcommands to argument-parser's (CompletionScript).
if let shell = CompletionScript.requestedShell(in: Array(CommandLine.arguments.dropFirst())) {
    FileHandle.standardOutput.write(Data(CompletionScript.script(for: shell).utf8))
    exit(0)
}

do {
    var command = try Nnrun.parseAsRoot()
    try command.run()
} catch {
    if let failure = CommandFailure(error) {
        failure.report()
        exit(failure.status)
    }
    if !(error is ExitCode) && Nnrun.exitCode(for: error) == .failure {
        FileHandle.standardError.write(Data("nnrun: internal error: \(error)\n".utf8))
        exit(70)
    }
    Nnrun.exit(withError: error)
}
