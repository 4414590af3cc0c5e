import Diagnostics
import Spec

/// The catalogue of the validation phase's messages for the top level and the model
/// (IDs NN3xxx); `ValidationMessages+Data.swift`, `+Training.swift` and `+Expectations.swift`
/// hold the other sections'.
extension DiagnosticMessage {
    static func missingKey(_ key: String, in path: KeyPath, example: String) -> Self {
        let place = path.components.isEmpty ? "at the top level" : "in \(path)"
        return .init(.missingKey, "missing required key '\(key)' \(place)", fix: "add '\(example)'")
    }

    static var missingVersion: Self {
        .init(.missingKey, "missing required key 'nnrun' (the spec format version)", fix: "add 'nnrun: 1' as the first line")
    }

    static func unsupportedVersion(_ version: Int) -> Self {
        .init(.unsupportedVersion, "unsupported spec format version \(version); this nnrun reads versions 1 and 2",
              fix: "write 'nnrun: 2' and follow Docs/spec-format.md")
    }

    static var emptyName: Self {
        .init(.invalidName, "expected a name, found an empty string", fix: "write a name such as 'hidden'")
    }

    static var controlCharacterInName: Self {
        .init(.invalidName, "a name cannot contain control characters (such as tab, escape or NUL)",
              fix: "use letters, digits, '-', '_' or spaces")
    }

    /// The spec's seed, an initializer's and a shuffle's: one wording for all three.
    static func negativeSeed(_ found: Int) -> Self {
        .init(.negativeSeed, "expected a seed of 0 or more, found \(found)", fix: "write a whole number such as 1")
    }

    static func notPositive(_ found: Int, noun: String) -> Self {
        .init(.notPositive, "expected a positive number of \(noun), found \(found)")
    }

    static func tooManyUnits(_ found: Int, limit: Int) -> Self {
        .init(.tooManyUnits, "a layer may have at most \(limit) units, found \(found)")
    }

    static var noLayers: Self {
        .init(.noLayers, "expected at least one layer, found an empty list",
              fix: "list the layers from the input side; the last one is the output layer")
    }

    static func duplicateLayerName(_ name: String, firstLine: Int) -> Self {
        .init(.duplicateLayerName, "layer name '\(name)' is already used by the layer at line \(firstLine)",
              fix: "give every layer its own name")
    }

    /// A missing layer name, with a name no other layer has (`hidden`, then `hidden2`, ...).
    static func missingLayerName(in path: KeyPath, suggested name: String) -> Self {
        .missingKey("name", in: path, example: "name: \(name)")
    }

    /// A word not in a vocabulary (activation, loss, ...), with "did you mean" for a near
    /// miss or a known alias (`bce`).
    static func unknownName(_ id: DiagnosticID, what: String, _ written: String, names: [String]) -> Self {
        .init(id, "unknown \(what) '\(written)'",
              suggesting: KeyAliases.suggestion(for: written, in: names, aliases: KeyAliases.names),
              fix: "expected \(names.count == 1 ? "" : "one of ")\(Suggestion.list(names))")
    }

    static func softmaxOnHiddenLayer(_ layerName: String) -> Self {
        .init(.softmaxOnHiddenLayer, "softmax is allowed only on the output layer, found it on hidden layer \(layerName)",
              fix: "use tanh, relu or sigmoid here, and softmax with cross_entropy on the last layer")
    }

    static func alphaWithoutLeakyRelu(_ activation: String) -> Self {
        .init(.alphaMisuse, "alpha applies only to activation leaky_relu, found it with \(activation)",
              fix: "remove alpha, or use activation: leaky_relu")
    }

    static func alphaOutOfRange(_ found: Located<Double>) -> Self {
        .init(.alphaMisuse, "expected leaky_relu's alpha in [0, 1), found \(SpecMessages.number(found))",
              fix: "write a small slope such as 0.01")
    }

    static func tooManyWeights(layer: String, units: Int, inputs: Int, limit: Int) -> Self {
        .init(.tooManyWeights, "layer \(layer) would draw \(units) x \(inputs) weights; at most \(limit) per layer")
    }

    /// A missing `weights`: a matrix of the layer's own shape, or the initializer form.
    static func missingWeights(in path: KeyPath, units: Int?, inputs: Int?) -> Self {
        let matrix: String
        if let units, let inputs, units <= 8, inputs <= 8 {
            let row = "[" + Array(repeating: "0.1", count: inputs).joined(separator: ", ") + "]"
            matrix = "'weights: [" + Array(repeating: row, count: units).joined(separator: ", ") + "]'"
                + " (\(SpecMessages.count(units, "row")) of \(SpecMessages.count(inputs, "weight")): one row per unit, one weight per input)"
        } else if let units, let inputs {
            matrix = "a weights matrix of \(SpecMessages.count(units, "row")) (one per unit) of \(SpecMessages.count(inputs, "weight")) (one per input)"
        } else {
            matrix = "a weights matrix with one row per unit and one weight per input"
        }
        return .init(.missingKey, "missing required key 'weights' in \(path)",
                     fix: "add \(matrix), or draw them: 'weights: {init: xavier_uniform, seed: 1}'")
    }

    static func weightRowCount(layer: String, units: Int, found: Int) -> Self {
        .init(.weightRowCount,
              "expected \(SpecMessages.count(units, "row")) of weights for layer \(layer) (one per unit), found \(found)",
              fix: "give one row per unit of the layer")
    }

    static func weightColumnCount(layer: String, inputs: Int, found: Int) -> Self {
        .init(.weightColumnCount,
              "expected \(SpecMessages.count(inputs, "weight")) per row for layer \(layer) (it has \(SpecMessages.count(inputs, "input"))), found \(found)",
              fix: "give one weight per input of the layer")
    }

    /// The matrix has shape (inputs, units): the layout of Keras' `Dense.kernel` and of
    /// `x @ W`, where nnrun (like PyTorch's `Linear.weight`) writes (units, inputs).
    static func transposedWeights(layer: String, units: Int, inputs: Int) -> Self {
        .init(.transposedWeights,
              "the weights of layer \(layer) have shape (\(inputs), \(units)), its (inputs, units); nnrun expects (units, inputs): \(SpecMessages.count(units, "row")) (one per unit) of \(SpecMessages.count(inputs, "weight")) (one per input)",
              fix: "transpose the matrix: row u lists the weights into unit u (Keras' kernel is W.T, PyTorch's Linear.weight is W)")
    }

    static var missingInitializerSeed: Self { missingInitializerSeed(of: "weights") }

    /// `what`: "weights" or "biases".
    static func missingInitializerSeed(of what: String) -> Self {
        .init(.missingSeed, "missing seed: drawn \(what) need one to be reproducible",
              fix: "add 'seed: 1' here, or a spec-level 'seed: 1' that every layer derives its own from")
    }

    static func initializerSetting(_ key: String, owner: String, found: String) -> Self {
        .init(.initializerSetting, "'\(key)' applies only to init: \(owner), found it with init: \(found)", fix: "remove '\(key)'")
    }

    static func uniformBoundsOrder(low: String, high: String) -> Self {
        .init(.initializerRange, "expected low < high for init: uniform, found low \(low) and high \(high)",
              fix: "write a 'low' below 'high'")
    }

    static func uniformRangeOverflows(low: String, high: String) -> Self {
        .init(.initializerRange, "the range high - low = \(high) - (\(low)) overflows a 64-bit float",
              fix: "use a range narrower than 1.8e308")
    }

    static func negativeStd(_ found: Located<Double>) -> Self {
        .init(.initializerRange, "expected std >= 0, found \(SpecMessages.number(found))", fix: "write a std of 0 or more")
    }

    static func normalDrawsOverflow(mean: Double, std: Double) -> Self {
        .init(.initializerRange,
              "init: normal with mean \(mean) and std \(std) can draw weights beyond the largest 64-bit float (draws reach mean ± 12.01 std)",
              fix: "use a std of at most \((Double.greatestFiniteMagnitude - abs(mean)) / 12.01)")
    }

    static func biasCount(layer: String, units: Int, found: Int) -> Self {
        .init(.biasCount,
              "expected \(units == 1 ? "1 bias" : "\(units) biases") for layer \(layer) (one per unit), found \(found)",
              fix: "give one bias per unit, or a single number to share one bias across the layer")
    }
}
