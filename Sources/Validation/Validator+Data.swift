import Diagnostics
import Spec

/// Samples: listed in the spec, read from a CSV file (`Validator+CSV.swift`) or from .npy
/// files (`Validator+Npy.swift`); then the checks the loss puts on targets.
extension Validator {
    mutating func samples(_ entry: Located<DataEntry>?, _ key: String, spec: Spec, inputCount: Int?, outputCount: Int?,
                          loss: Loss?, required: Bool) -> [ValidatedSpec.Sample]? {
        guard let data = required
                ? require(entry, key, in: .root, at: spec.location,
                          example: "\(key): [{inputs: [0.05, 0.10], targets: [0.01, 0.99]}]")
                : entry
        else { return nil }
        let path = KeyPath.root / key
        let samples: [ValidatedSpec.Sample]?
        switch data.value {
        case .inline(let entries):
            guard !entries.isEmpty else {
                error(at: data.location, path, .noSamples)
                return nil
            }
            samples = inlineSamples(entries, at: path, inputCount: inputCount, outputCount: outputCount, loss: loss)
        case .csv(let csv):
            samples = csvSamples(csv, at: path, inputCount: inputCount, outputCount: outputCount, loss: loss)
        case .npy(let npy):
            samples = npySamples(npy, at: path, inputCount: inputCount, outputCount: outputCount, loss: loss)
        case .npz(let npz):
            samples = npzSamples(npz, at: path, inputCount: inputCount, outputCount: outputCount, loss: loss)
        }
        return samples
    }

    private mutating func inlineSamples(_ entries: [SampleEntry], at path: KeyPath, inputCount: Int?,
                                        outputCount: Int?, loss: Loss?) -> [ValidatedSpec.Sample]? {
        var samples: [ValidatedSpec.Sample] = []
        for (index, entry) in entries.enumerated() where entry.isMapping {
            let samplePath = path / index
            let inputs = vector(entry.inputs, "inputs", in: samplePath, at: entry.location, count: inputCount,
                                counted: "model.inputs")
            let targets = vector(entry.targets, "targets", in: samplePath, at: entry.location, count: outputCount,
                                 counted: "the units of the output layer")
            if let targets, let loss, let location = entry.targets?.location,
               let problem = Validator.targetProblem(targets, loss: loss) {
                error(at: location, samplePath / "targets", .targetRange(problem))
                continue
            }
            if let inputs, let targets { samples.append(.init(inputs: inputs, targets: targets)) }
        }
        return samples.count == entries.count ? samples : nil
    }

    private mutating func vector(_ value: Located<[Located<Double>]>?, _ key: String, in path: KeyPath,
                                 at location: SourceLocation, count: Int?, counted: String) -> [Double]? {
        guard let value = require(value, key, in: path, at: location, example: "\(key): [0.5, 0.5]") else { return nil }
        if let count, value.value.count != count {
            let noun = key == "inputs" ? "input" : "target"
            error(at: value.location, path / key, .sampleWidth(count, noun, counted: counted, found: value.value.count))
            return nil
        }
        return value.value.map(\.value)
    }

    /// What the loss requires of a sample's targets: cross_entropy a probability
    /// distribution (non-negative, summing to 1 within 1e-9), binary_cross_entropy
    /// values in [0, 1].
    static func targetProblem(_ targets: [Double], loss: Loss) -> (message: String, fix: String)? {
        switch loss {
        case .crossEntropy:
            if let negative = targets.first(where: { $0 < 0 }) {
                return ("cross_entropy targets must be non-negative, found \(negative)",
                        "give class probabilities, e.g. one-hot [0, 1, 0]")
            }
            let sum = targets.reduce(0, +)
            if abs(sum - 1) > 1e-9 {
                return ("cross_entropy targets must sum to 1, found a sum of \(sum)",
                        "give class probabilities, e.g. one-hot [0, 1, 0]")
            }
        case .binaryCrossEntropy:
            if let outside = targets.first(where: { $0 < 0 || $0 > 1 }) {
                return ("binary_cross_entropy targets must lie in [0, 1], found \(outside)", "use 0 and 1 (or probabilities)")
            }
        case .halfSquaredError, .mse:
            break
        }
        return nil
    }
}
