import Running
import Validation

/// The results file's members for the validation split, the input scaling and early
/// stopping: each written only when the spec uses the feature, so that other specs' files
/// keep their bytes (Docs/results-format.md).
extension ResultsFile {
    /// `{split, seed, samples, validation_indices}`: which samples of the data were held out.
    static func validationSplit(_ split: ValidationSplit) -> JSONValue {
        .object([
            ("split", .number(split.fraction)),
            ("seed", split.seed.map { .integer(Int(bitPattern: UInt($0))) } ?? .null),
            ("samples", .integer(split.dataCount)),
            ("validation_indices", .array(split.validationIndices.map(JSONValue.integer))),
        ])
    }

    /// `{method, offset, scale}`: input j is fed to the network as (x[j] - offset[j]) / scale[j].
    static func inputScaling(_ scaling: InputScaling) -> JSONValue {
        .object([
            ("method", .string(scaling.method.rawValue)),
            ("offset", .numbers(scaling.offset)),
            ("scale", .numbers(scaling.scale)),
        ])
    }

    /// `{monitor, stopped, step, epoch, best_step, best, parameters_step}`.
    static func earlyStopping(_ outcome: StoppingOutcome) -> JSONValue {
        .object([
            ("monitor", .string(outcome.monitor.rawValue)),
            ("stopped", .bool(outcome.stopped)),
            ("step", .integer(outcome.step)),
            ("epoch", .integer(outcome.epoch)),
            ("best_step", outcome.bestStep.map(JSONValue.integer) ?? .null),
            ("best", outcome.best.map(JSONValue.number) ?? .null),
            ("parameters_step", .integer(outcome.parametersStep)),
        ])
    }
}
