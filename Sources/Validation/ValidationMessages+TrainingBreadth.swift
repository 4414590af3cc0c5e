import Diagnostics
import Spec

/// The catalogue of messages for the validation split and input scaling (NN41xx) and
/// early stopping (NN515x).
extension DiagnosticMessage {
    static func splitOutOfRange(_ found: Located<Double>) -> Self {
        .init(.validationSplit, "expected a validation split between 0 and 1 (exclusive), found \(SpecMessages.number(found))",
              fix: "write the fraction of the data to hold out, such as 'split: 0.2'")
    }

    static func splitHoldsOutNothing(_ found: Located<Double>, samples: Int) -> Self {
        .init(.validationSplit,
              "a validation split of \(SpecMessages.number(found)) of \(SpecMessages.count(samples, "sample")) holds out floor(\(SpecMessages.number(found)) x \(samples)) = 0 samples",
              fix: "hold out at least one sample: a split of at least \(1.0 / Double(samples)), or more data")
    }

    static func splitHoldsOutEverything(_ found: Located<Double>, samples: Int, count: Int) -> Self {
        .init(.validationSplit,
              "a validation split of \(SpecMessages.number(found)) of \(SpecMessages.count(samples, "sample")) holds out \(count), leaving no training sample",
              fix: "use a smaller split, or more data")
    }

    static func scalingOverflow(_ method: String, column: Int, offset: Double, scale: Double) -> Self {
        .init(.scalingOverflow,
              "\(method) of input \(column) (counting from 0) gives offset \(offset) and scale \(scale): its values are too large for a Float64 sum, square or range",
              fix: "divide the column by a power of ten before saving it")
    }

    static func negativeEarlyStoppingSetting(_ key: String, found: String) -> Self {
        .init(.earlyStoppingSetting, "expected \(key) of 0 or more, found \(found)",
              fix: key == "patience" ? "write the number of checks without improvement to wait, such as 'patience: 5'"
                  : "write the least change that counts as an improvement, such as 'min_delta: 0'")
    }

    static func monitorNeedsValidation(_ monitor: String) -> Self {
        .init(.monitorUnavailable, "early stopping on \(monitor) needs validation data, and the spec has none",
              fix: "add 'validation: {split: 0.2}' (or validation samples), or write 'monitor: loss'")
    }

    static func monitorNeedsClassification(loss: String) -> Self {
        .init(.monitorUnavailable, "validation_accuracy is defined only for classification losses, found loss \(loss)",
              fix: "write 'monitor: validation_loss'")
    }
}
