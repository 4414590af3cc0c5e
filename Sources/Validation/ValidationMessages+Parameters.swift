import DataFiles
import Diagnostics
import Spec

/// The catalogue of the messages about format 2 and where initial parameters come from:
/// format-2 forms in a format 1 spec, the default initializer's seed, parameter files and
/// `init_from` (IDs NN3050...).
extension DiagnosticMessage {
    /// `what` as the spec writes it: "'bias: none'", "'init_from'".
    static func needsFormat2(_ what: String) -> Self {
        .init(.needsFormat2, "\(what) is spec format 2; this spec is format 1 ('nnrun: 1')",
              fix: "change the first line to 'nnrun: 2' (`nnrun upgrade SPEC` rewrites a format 1 spec with the same meaning)")
    }

    /// Format 2's default weights are drawn, so they need the spec's seed.
    static func missingDefaultSeed(layer: String) -> Self {
        .init(.missingSeed,
              "layer \(layer) has no 'weights', so they are drawn from the default initializer (glorot_uniform), which needs a seed",
              fix: "add a spec-level 'seed: 1' (every layer derives its own from it), or write the weights here")
    }

    static func duplicateDefaultedName(_ name: String, defaultedAt path: KeyPath) -> Self {
        .init(.duplicateLayerName, "layer name '\(name)' is already the default name of the unnamed layer \(path)",
              fix: "give this layer another name, or name \(path) explicitly")
    }

    static func biasInitializer(_ written: String) -> Self {
        .init(.unknownInitializer, "unknown bias initializer '\(written)'",
              fix: "expected uniform or normal (the fan-based initializers are for weights); or {fill: 0}")
    }

    /// `file` holds another shape than the layer's parameters.
    static func parameterFileShape(_ file: String, what: String, layer: String, found: [Int], expected: [Int]) -> Self {
        let transposed = found.count == 2 && expected.count == 2 && found == [expected[1], expected[0]]
        return .init(.parameterFileShape,
                     "'\(file)' has shape \(NpyArray.describe(shape: found)); the \(what) of layer \(layer) have shape \(NpyArray.describe(shape: expected))",
                     fix: transposed ? "save the transpose (w.T): one row per unit, one column per input (PyTorch Linear layout)"
                         : "save an array of shape \(NpyArray.describe(shape: expected))")
    }

    static func parameterFileNotFloat(_ file: String, descr: String) -> Self {
        .init(.parameterFileShape, "'\(file)' holds integers ('\(descr)'); expected float64 ('<f8') or float32 ('<f4') parameters",
              fix: "save the parameters as floats: numpy.save(path, w.astype(numpy.float64))")
    }

    static func initFromUnreadable(_ file: String, _ problem: String) -> Self {
        .init(.initFromUnreadable, "cannot start from '\(file)': \(problem)",
              fix: "name a results file written by nnrun (paths are relative to the spec's folder)")
    }

    static func initFromLayerCount(_ file: String, found: Int, expected: Int) -> Self {
        .init(.initFromMismatch,
              "'\(file)' has \(SpecMessages.count(found, "layer")); this spec has \(SpecMessages.count(expected, "layer"))",
              fix: "start from the results of a run of the same architecture")
    }

    static func initFromLayerName(_ file: String, index: Int, found: String, expected: String) -> Self {
        .init(.initFromMismatch, "layer \(index) of '\(file)' is named '\(found)'; this spec names it '\(expected)'",
              fix: "name the layers as the run that wrote '\(file)' did")
    }

    static func initFromLayerShape(_ file: String, layer: String, found: String, expected: String) -> Self {
        .init(.initFromMismatch, "the weights of layer '\(layer)' in '\(file)' have shape \(found); this spec's have shape \(expected)",
              fix: "start from the results of a run with the same units and inputs per layer")
    }

    static func initFromAndParameters(_ key: String) -> Self {
        .init(.initFromAndParameters, "'\(key)' conflicts with 'init_from', which gives every layer's weights and bias",
              fix: "remove '\(key)' here, or remove 'init_from'")
    }
}
