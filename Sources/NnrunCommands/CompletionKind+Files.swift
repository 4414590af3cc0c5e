import ArgumentParser

/// What the shell completes for nnrun's path arguments (Docs/cli.md): spec files are
/// YAML, results files JSON; a path nnrun writes may name any file, a folder only a folder.
extension CompletionKind {
    static var specFile: CompletionKind { .file(extensions: ["yaml", "yml"]) }
    static var resultsFile: CompletionKind { .file(extensions: ["json"]) }
    static var outputFile: CompletionKind { .file() }
}
