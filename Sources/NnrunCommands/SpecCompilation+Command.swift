import Pipeline
import Validation

extension SpecCompilation {
    /// Compiles the spec at `path` for a command that needs a valid spec: prints its
    /// warnings, or throws the failure that stops the command.
    static func validSpec(at path: String, overrides: Overrides) throws(PipelineFailure) -> ValidatedSpec {
        let compilation = SpecCompilation(path: path, overrides: overrides.list)
        let spec = try compilation.validSpec()
        compilation.printWarnings()
        return spec
    }

    /// A valid spec's diagnostics (warnings), on standard error.
    func printWarnings() {
        if !diagnostics.isEmpty { Terminal.error(renderedDiagnostics) }
    }
}
