import ArgumentParser

/// `--quiet` (`-q`), with one meaning in every command that takes it (Docs/cli.md): the
/// command's product still appears (a results file sent to `-o -`, the explain page, a
/// written file), what went wrong is reported on standard error, and every line that only
/// reports success (summaries, PASS lines, totals, tables, progress) is left out, so that
/// the exit status alone tells the outcome.
struct Quiet: ParsableArguments {
    @Flag(name: [.customShort("q"), .customLong("quiet")],
          help: "Print only what went wrong (on standard error); no progress, summary, PASS lines or table.")
    var isOn = false

    /// A line that reports success or progress: standard output, unless quiet.
    func chatter(_ text: String) {
        if !isOn { Terminal.out(text) }
    }

    /// A line that reports a problem (a failure, a warning): standard output with the rest of the report, or
    /// alone on standard error when quiet.
    func problem(_ text: String) {
        if isOn { Terminal.error(text) } else { Terminal.out(text) }
    }
}
