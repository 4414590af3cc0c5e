import Foundation
import Pipeline
import Planning
import Running
import Validation

/// Runs specs through the same phases as `nnrun run`, in process.
public enum Training {
    public struct InvalidSpec: Error, CustomStringConvertible {
        public var description: String
    }

    /// The validated spec of YAML `text`, or an error listing its diagnostics.
    public static func validate(_ text: String, path: String = "inline.yaml") throws -> ValidatedSpec {
        let compilation = SpecCompilation(path: path, bytes: Array(text.utf8))
        guard case .valid(let spec) = compilation.outcome else {
            throw InvalidSpec(description: compilation.renderedDiagnostics)
        }
        return spec
    }

    public static func run(_ spec: ValidatedSpec) -> TrainingResult {
        Runner.run(Planner.plan(spec))
    }

    /// YAML `text` through the pipeline as `nnrun run` takes it: compiled, planned, trained.
    public static func run(_ text: String, path: String = "inline.yaml") throws -> TrainingResult {
        let compilation = SpecCompilation(path: path, bytes: Array(text.utf8))
        do {
            return try PlannedSpec(compilation, memoryLimit: .max).run().result
        } catch {
            throw InvalidSpec(description: error.message)
        }
    }

    public static func run(specFile relativePath: String) throws -> TrainingResult {
        let text = try String(contentsOf: Repository.file(relativePath), encoding: .utf8)
        return try run(text, path: relativePath)
    }
}

/// Compares a computed number with a figure printed to a given number of decimals.
public enum Printed {
    /// `value` rounded to as many decimals as `printed` has, as text: "0.593269992".
    public static func rounded(_ value: Double, like printed: String) -> String {
        if let e = printed.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let mantissa = printed[..<e]
            let decimals = mantissa.split(separator: ".").dropFirst().first?.count ?? 0
            return String(format: "%.\(decimals)e", value)
        }
        let decimals = printed.split(separator: ".").dropFirst().first?.count ?? 0
        return String(format: "%.\(decimals)f", value)
    }
}

extension Printed {
    /// A number as explain's pages print it (Docs/explain.md): 9 decimals with trailing
    /// zeros dropped, or 9 significant digits in scientific notation below 1e-4 and from
    /// 1e6. Written here from the documented rule, apart from explain's own code.
    public static func explained(_ value: Double) -> String {
        let magnitude = abs(value)
        if value != 0 && (magnitude < 1e-4 || magnitude >= 1e6) {
            let text = String(format: "%.8e", value)
            guard let e = text.firstIndex(of: "e") else { return text }
            var mantissa = String(text[..<e])
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
            return mantissa + text[e...]
        }
        var text = String(format: "%.9f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// As explain writes a number after an operator: negative ones in parentheses.
    public static func explainedOperand(_ value: Double) -> String {
        value < 0 ? "(\(explained(value)))" : explained(value)
    }
}
