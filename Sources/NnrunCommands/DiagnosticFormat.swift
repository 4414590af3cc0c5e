import ArgumentParser

/// `nnrun validate --format`: how diagnostics are printed (Docs/cli.md, Docs/diagnostics.md).
enum DiagnosticFormat: String, ExpressibleByArgument, CaseIterable {
    /// For people: `file:line:col: error[ID]: ...` with the source line, on standard error.
    case text
    /// One JSON array of every diagnostic of every spec, on standard output.
    case json
    /// GitHub Actions `::error file=...,line=...,col=...,title=ID::message` lines, on standard output.
    case github
}
