import CKernels
import Checks
import Running
import Spec
import Validation

/// The results file, format `nnrun.results/1` (Docs/results-format.md).
///
/// Keys appear in a fixed order and nothing depends on the clock, so the same spec
/// gives the same bytes on every run.
public enum ResultsFile {
    public static let format = "nnrun.results/1"

    /// The version of the elementary functions behind the numbers (`NN_MATH_VERSION`,
    /// Docs/math.md): two files with different versions may differ in the last bits.
    public static let mathVersion = Int(NN_MATH_VERSION)

    /// Identifies the spec a result came from.
    public struct Source: Sendable {
        public var name: String
        public var path: String
        /// The spec's identity, lowercase hex: SHA-256 of the spec file's bytes, or with
        /// overrides, of the effective text and the overrides (the pipeline's `SpecCompilation.sha256`).
        public var sha256: String
        /// The base files of `extends`, nearest first, as written; written only when there are any.
        public var extends: [String]
        /// The `--set` overrides as given (`PATH=VALUE`), in order; written only when there are any.
        public var overrides: [String]

        public init(name: String, path: String, sha256: String, extends: [String] = [], overrides: [String] = []) {
            self.name = name
            self.path = path
            self.sha256 = sha256
            self.extends = extends
            self.overrides = overrides
        }
    }

    /// `inferredClasses`: the classes of a CSV one-hot column that lists none, in output-unit
    /// order; written as `classes` after `spec` only then, so files of specs that list their
    /// classes keep their bytes.
    /// `validationSplit`, `inputScaling` and `result.stopping` are written only when the spec
    /// uses them (`ResultsFile+TrainingBreadth.swift`).
    public static func json(_ result: TrainingResult, source: Source, checks: [CheckOutcome] = [],
                            inferredClasses: [String]? = nil, validationSplit: ValidationSplit? = nil,
                            inputScaling: InputScaling? = nil) -> JSONValue {
        .object([
            ("format", .string(format)),
            ("math_version", .integer(mathVersion)),
            ("spec", .object([
                ("name", .string(source.name)),
                ("path", .string(source.path)),
                ("sha256", .string(source.sha256)),
            ] + (source.extends.isEmpty ? [] : [("extends", .array(source.extends.map(JSONValue.string)))])
              + (source.overrides.isEmpty ? [] : [("overrides", .array(source.overrides.map(JSONValue.string)))]))),
        ] + (inferredClasses.map { [("classes", JSONValue.array($0.map(JSONValue.string)))] } ?? [])
          + (validationSplit.map { [("validation_split", Self.validationSplit($0))] } ?? [])
          + (inputScaling.map { [("input_scaling", Self.inputScaling($0))] } ?? []) + [
            ("status", .string(result.status.rawValue)),
        ] + (result.stopping.map { [("early_stopping", earlyStopping($0))] } ?? []) + (result.divergence.map { divergence in
            [("divergence", JSONValue.object([
                ("step", .integer(divergence.step)),
                ("layer", divergence.layer.map(JSONValue.string) ?? .null),
                ("quantity", .string(divergence.quantity.rawValue)),
            ]))]
        } ?? []) + [
            ("steps", .integer(result.steps)),
            ("initial", evaluation(result.initial, withStep: false)),
            ("final", evaluation(result.final, withStep: true)),
            ("history", history(result.history)),
            ("trace", .array(result.trace.map(traceStep))),
            ("checks", .array(checks.map(check))),
        ])
    }

    /// {quantity, at, line, passed, expected, actual, tolerance}.
    private static func check(_ outcome: CheckOutcome) -> JSONValue {
        let expectation = outcome.expectation
        let tolerance: JSONValue
        switch expectation.tolerance {
        case .absolute(let bound): tolerance = .object([("abs", .number(bound))])
        case .relative(let bound): tolerance = .object([("rel", .number(bound))])
        }
        return .object([
            ("quantity", .string(expectation.text)),
            ("at", expectation.atFinal ? .string("final") : .integer(expectation.step)),
            ("line", .integer(expectation.location.line)),
            ("passed", .bool(outcome.passed)),
            ("expected", value(expectation.expected)),
            ("actual", outcome.actual.map(value) ?? .null),
            ("tolerance", tolerance),
        ])
    }

    private static func value(_ value: ExpectedValue) -> JSONValue {
        switch value {
        case .number(let number): return .number(number)
        case .list(let items): return .array(items.map(self.value))
        }
    }

    /// {step?, loss, accuracy?, validation_loss?, validation_accuracy?, outputs, layers};
    /// the optional metrics appear only where defined.
    private static func evaluation(_ evaluation: Evaluation, withStep: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if withStep { members.append(("step", .integer(evaluation.step))) }
        members.append(("loss", .number(evaluation.loss)))
        if let accuracy = evaluation.accuracy { members.append(("accuracy", .number(accuracy))) }
        if let loss = evaluation.validationLoss { members.append(("validation_loss", .number(loss))) }
        if let accuracy = evaluation.validationAccuracy { members.append(("validation_accuracy", .number(accuracy))) }
        members.append(("outputs", .matrix(evaluation.outputs)))
        members.append(("layers", .array(evaluation.layers.map(layer))))
        return .object(members)
    }

    private static func history(_ history: History) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("step", .array(history.steps.map(JSONValue.integer))),
            ("loss", .numbers(history.loss)),
        ]
        if let accuracy = history.accuracy { members.append(("accuracy", .numbers(accuracy))) }
        if let loss = history.validationLoss { members.append(("validation_loss", .numbers(loss))) }
        if let accuracy = history.validationAccuracy { members.append(("validation_accuracy", .numbers(accuracy))) }
        if let rates = history.learningRate { members.append(("learning_rate", .numbers(rates))) }
        return .object(members)
    }

    private static func layer(_ layer: LayerParameters) -> JSONValue {
        .object([
            ("name", .string(layer.name)),
            ("weights", .matrix(layer.weights)),
            ("bias", layer.bias.map(JSONValue.numbers) ?? .null),
            ("bias_shared", .bool(layer.biasShared)),
        ])
    }

    private static func traceStep(_ step: TraceStep) -> JSONValue {
        .object([
            ("step", .integer(step.step)),
            ("loss", .number(step.loss)),
            ("samples", .array(step.samples.map { sample in
                .object([
                    ("index", .integer(sample.index)),
                    ("loss", .number(sample.loss)),
                    ("output_losses", .numbers(sample.outputTerms)),
                ])
            })),
            ("layers", .array(step.layers.map { layer in
                .object([
                    ("name", .string(layer.name)),
                    ("net", .matrix(layer.net)),
                    ("out", .matrix(layer.out)),
                    ("d_out", .matrix(layer.dOut)),
                    ("d_out_d_net", .matrix(layer.slope)),
                    ("delta", .matrix(layer.delta)),
                    ("weight_gradient", .matrix(layer.weightGradient)),
                    ("bias_gradient", layer.biasGradient.map(JSONValue.numbers) ?? .null),
                    ("weights", .matrix(layer.weights)),
                    ("bias", layer.bias.map(JSONValue.numbers) ?? .null),
                ])
            })),
        ])
    }
}
