import ArgumentParser
import Validation

extension SpecCompilation {
    /// Compiles the spec at `path` for a command that needs a valid spec: prints the
    /// diagnostics and throws the matching exit code when there is none.
    static func validSpec(at path: String) throws -> (SpecCompilation, ValidatedSpec) {
        let compilation = SpecCompilation(path: path)
        switch compilation.outcome {
        case .unreadable(let reason):
            Terminal.error("\(path): error: cannot read the spec: \(reason)")
            throw ExitStatus.noInput.exitCode
        case .invalid:
            Terminal.error(compilation.renderedDiagnostics)
            let errors = compilation.diagnostics.filter { $0.severity == .error }.count
            Terminal.error("\(path): \(errors) error\(errors == 1 ? "" : "s"); nothing was run")
            throw ExitStatus.invalidSpec.exitCode
        case .valid(let spec):
            if !compilation.diagnostics.isEmpty { Terminal.error(compilation.renderedDiagnostics) }
            return (compilation, spec)
        }
    }
}
