import Diagnostics
import Spec

/// The catalogue of messages for the `expect:` section (IDs NN6xxx).
extension DiagnosticMessage {
    static func checkStepNeverReached(_ step: Int, steps: Int) -> Self {
        .init(.stepNeverReached,
              "step \(step) is never reached; expected 0 (before training), a step up to \(steps), or 'final'",
              fix: "write 'at: final' or a step from 0 to \(steps)")
    }

    static func negativeTolerance(_ found: Double) -> Self {
        .init(.negativeTolerance, "expected a tolerance of 0 or more, found \(found)", fix: "write e.g. {abs: 1e-9}")
    }

    static func unreadableQuantity(_ text: String) -> Self {
        .init(.unreadableQuantity, "cannot read the quantity '\(text)'",
              fix: "write e.g. loss, outputs[0][1], layers.output.weights[0], trace.hidden.delta[0][1]")
    }

    static func noLayerNamed(_ name: String, in quantity: String, layers: [String]) -> Self {
        .init(.unknownQuantity, "no layer named '\(name)' in quantity '\(quantity)'",
              suggesting: Suggestion.closest(to: name, in: layers), fix: "layers are \(Suggestion.list(layers))")
    }

    static func unknownLayerQuantity(_ field: String, in quantity: String) -> Self {
        .init(.unknownQuantity, "unknown layer quantity '\(field)' in '\(quantity)'; expected 'weights' or 'bias'",
              suggesting: Suggestion.closest(to: field, in: ["weights", "bias"]))
    }

    static func unknownTraceQuantity(_ field: String, fields: [String]) -> Self {
        .init(.unknownQuantity, "unknown trace quantity '\(field)'", suggesting: Suggestion.closest(to: field, in: fields),
              fix: "expected one of \(Suggestion.list(fields))")
    }

    static func unknownQuantity(_ text: String, root: String, roots: [String]) -> Self {
        .init(.unknownQuantity, "unknown quantity '\(text)'", suggesting: Suggestion.closest(to: root, in: roots),
              fix: "expected loss, accuracy, validation_loss, validation_accuracy, outputs, layers.NAME.weights, layers.NAME.bias, trace.sample_losses, trace.output_losses or trace.NAME.FIELD")
    }

    static var accuracyNeedsClassification: Self {
        .init(.quantityUnavailable, "accuracy is defined only for the classification losses binary_cross_entropy and cross_entropy",
              fix: "check the loss instead, or train with binary_cross_entropy or cross_entropy")
    }

    static var noValidationSet: Self {
        .init(.quantityUnavailable, "the spec has no validation set", fix: "add a 'validation:' data set")
    }

    static func layerHasNoBias(_ layer: String) -> Self {
        .init(.quantityUnavailable, "layer '\(layer)' has no bias", fix: "give the layer a 'bias', or check its weights")
    }

    static func tooManyIndices(_ text: String, indices: Int, dimensions: Int) -> Self {
        .init(.quantityIndex,
              "'\(text)' has \(indices) indices; the quantity has \(dimensions) dimension\(dimensions == 1 ? "" : "s")")
    }

    static func indexOutOfRange(_ index: Int, in text: String, size: Int) -> Self {
        .init(.quantityIndex,
              "index \(index) in '\(text)' is out of range; that dimension has \(size) entr\(size == 1 ? "y" : "ies") (0 to \(size - 1))")
    }

    static func outputsNotRecorded(at step: Int) -> Self {
        .init(.notRecordedAtStep,
              "outputs are recorded before training (at: 0) and at the end (at: final) only, found at: \(step)",
              fix: "write 'at: 0' or 'at: final'")
    }

    static var traceStartsAtStepOne: Self {
        .init(.notRecordedAtStep, "the trace starts at step 1 (the first update); step 0 has no backward pass",
              fix: "write 'at: 1' or later")
    }

    static func expectedValueShape(_ expected: String, for quantity: String, found: String) -> Self {
        .init(.expectedValueShape, "expected \(expected) for '\(quantity)', found \(found)")
    }
}
