import Diagnostics
import Spec

/// `validation: {split, seed}` and `data.scale`: the validation set carved out of the
/// data, then the input scaling fitted on what is left for training.
extension Validator {
    /// Splits `samples` (the data) into training and validation samples when the spec asks.
    mutating func split(_ spec: Spec, samples: inout [ValidatedSpec.Sample]?,
                        validationSamples: inout [ValidatedSpec.Sample]?) -> ValidationSplit? {
        guard let entry = spec.validationSplit else { return nil }
        let path = KeyPath.root / "validation"
        var seed: UInt64?
        if let given = entry.seed {
            if given.value >= 0 { seed = UInt64(given.value) } else {
                error(at: given.location, path / "seed", .negativeSeed(given.value))
            }
        }
        guard let fraction = require(entry.split, "split", in: path, at: entry.location, example: "split: 0.2") else {
            return nil
        }
        guard fraction.value > 0 && fraction.value < 1 else {
            error(at: fraction.location, path / "split", .splitOutOfRange(fraction))
            return nil
        }
        guard let data = samples, entry.seed?.value ?? 0 >= 0 else { return nil }
        let count = ValidationSplit.validationCount(fraction: fraction.value, of: data.count)
        if count < 1 {
            error(at: fraction.location, path / "split", .splitHoldsOutNothing(fraction, samples: data.count))
            return nil
        }
        if count >= data.count {
            error(at: fraction.location, path / "split", .splitHoldsOutEverything(fraction, samples: data.count, count: count))
            return nil
        }
        let split = ValidationSplit(fraction: fraction.value, seed: seed, dataCount: data.count)
        samples = split.trainingIndices.map { data[$0] }
        validationSamples = split.validationIndices.map { data[$0] }
        return split
    }

    /// Fits `data.scale` on the training samples and scales the inputs of both sets.
    mutating func scaling(_ spec: Spec, samples: inout [ValidatedSpec.Sample]?,
                          validationSamples: inout [ValidatedSpec.Sample]?, inputCount: Int?) -> InputScaling? {
        guard let written = spec.dataScale else { return nil }
        guard let method = resolve(written, ScalingMethod.self, "scale", in: .root / "data", at: written.location,
                                   what: "scaling", .unknownScaling, required: false),
              let training = samples, !training.isEmpty, let inputCount,
              training.allSatisfy({ $0.inputs.count == inputCount })
        else { return nil }
        let scaling = InputScaling(fitting: method, to: training.map(\.inputs), columns: inputCount)
        if let column = scaling.offset.indices.first(where: { !scaling.offset[$0].isFinite || !scaling.scale[$0].isFinite }) {
            error(at: written.location, length: written.value.count, .root / "data" / "scale",
                  .scalingOverflow(method.rawValue, column: column, offset: scaling.offset[column], scale: scaling.scale[column]))
            return nil
        }
        samples = training.map { .init(inputs: scaling.apply($0.inputs), targets: $0.targets) }
        validationSamples = validationSamples?.map { .init(inputs: scaling.apply($0.inputs), targets: $0.targets) }
        return scaling
    }
}
