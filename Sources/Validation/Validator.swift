import Diagnostics
import Spec

/// Checks a decoded `Spec` and builds a `ValidatedSpec`, collecting every problem
/// rather than stopping at the first.
///
/// The rules are the ones Docs/spec-format.md states; each diagnostic names the key
/// path, what was expected and what was found.
public struct Validator {
    /// Limits that keep a valid spec from asking for unbounded memory.
    public enum Limits {
        /// Units per layer. Weights are listed in the spec, so this only bounds typos.
        public static let maxUnits = 1_000_000
        /// Loss values kept in `history` (16 bytes each with the step number).
        public static let maxHistoryPoints = 10_000_000
        /// Steps that may be traced in full.
        public static let maxTraceSteps = 1_000
    }

    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    /// Validates `spec`; returns nil when any error was found (see `diagnostics`).
    public static func validate(_ spec: Spec) -> (spec: ValidatedSpec?, diagnostics: [Diagnostic]) {
        var validator = Validator()
        let result = validator.validate(spec)
        return (result, validator.diagnostics)
    }

    public mutating func validate(_ spec: Spec) -> ValidatedSpec? {
        checkVersion(spec)
        let name = require(spec.name, "name", in: .root, at: spec.location, example: "name: my-network")
        let inputCount = modelInputs(spec)
        let layers = self.layers(spec, inputCount: inputCount)
        let outputCount = layers?.last?.units
        let samples = self.samples(spec, inputCount: inputCount, outputCount: outputCount)
        let training = self.training(spec)
        let record = self.record(spec, steps: training?.steps)

        guard !diagnostics.containsErrors,
              let name, let inputCount, let layers, let samples, let training, let record
        else { return nil }
        return ValidatedSpec(name: name.value, description: spec.description?.value, inputCount: inputCount,
                             layers: layers, samples: samples, training: training, record: record)
    }

    // MARK: Top level and model

    private mutating func checkVersion(_ spec: Spec) {
        guard let version = spec.version else {
            error(at: spec.location, .root, "missing required key 'nnrun' (the spec format version)",
                  fix: "add 'nnrun: 1' as the first line")
            return
        }
        if version.value != 1 {
            error(at: version.location, .root / "nnrun",
                  "unsupported spec format version \(version.value); this nnrun reads version 1",
                  fix: "write 'nnrun: 1' and follow Docs/spec-format.md")
        }
    }

    private mutating func modelInputs(_ spec: Spec) -> Int? {
        guard let model = spec.model else {
            if spec.model == nil { missing("model", in: .root, at: spec.location, example: "model: {inputs: 2, layers: [...]}") }
            return nil
        }
        guard let inputs = require(model.inputs, "inputs", in: .root / "model", at: model.location, example: "inputs: 2")
        else { return nil }
        return positiveCount(inputs, .root / "model" / "inputs", noun: "inputs") ? inputs.value : nil
    }

    private mutating func layers(_ spec: Spec, inputCount: Int?) -> [ValidatedSpec.Layer]? {
        guard let model = spec.model else { return nil }
        let path = KeyPath.root / "model" / "layers"
        guard let entries = require(model.layers, "layers", in: .root / "model", at: model.location,
                                    example: "layers: [{name: output, units: 1, activation: sigmoid, weights: [[0.5]]}]")
        else { return nil }
        guard !entries.value.isEmpty else {
            error(at: entries.location, path, "expected at least one layer, found an empty list")
            return nil
        }
        var layers: [ValidatedSpec.Layer] = []
        var complete = true
        var fanIn = inputCount
        var namesSeen: [String: SourceLocation] = [:]
        for (index, entry) in entries.value.enumerated() {
            let layerPath = path / index
            if let name = entry.name {
                if let first = namesSeen[name.value] {
                    error(at: name.location, layerPath / "name",
                          "layer name '\(name.value)' is already used by the layer at line \(first.line)",
                          fix: "give every layer its own name")
                } else {
                    namesSeen[name.value] = name.location
                }
            }
            let layer = self.layer(entry, at: layerPath, inputCount: fanIn)
            fanIn = layer?.units ?? entry.units.flatMap { $0.value > 0 ? $0.value : nil }
            if let layer { layers.append(layer) } else { complete = false }
        }
        return complete ? layers : nil
    }

    private mutating func layer(_ entry: LayerEntry, at path: KeyPath, inputCount: Int?) -> ValidatedSpec.Layer? {
        let name = require(entry.name, "name", in: path, at: entry.location, example: "name: hidden")
        let layerName = name.map { "'\($0.value)'" } ?? "at \(path)"
        var units: Int?
        if let entryUnits = require(entry.units, "units", in: path, at: entry.location, example: "units: 2") {
            if positiveCount(entryUnits, path / "units", noun: "units") {
                if entryUnits.value > Limits.maxUnits {
                    error(at: entryUnits.location, path / "units",
                          "a layer may have at most \(Limits.maxUnits) units, found \(entryUnits.value)")
                } else {
                    units = entryUnits.value
                }
            }
        }
        let activation = resolve(entry.activation, Activation.self, "activation", in: path, at: entry.location,
                                 what: "activation", required: true)
        let weights = self.weights(entry, at: path, layerName: layerName, units: units, inputCount: inputCount)
        let bias = self.bias(entry, at: path, layerName: layerName, units: units)
        guard let name, let units, let activation, let weights, let bias, let inputCount else { return nil }
        return ValidatedSpec.Layer(name: name.value, inputCount: inputCount, units: units, activation: activation,
                                   weights: weights, bias: bias, location: entry.location)
    }

    private mutating func weights(_ entry: LayerEntry, at path: KeyPath, layerName: String,
                                  units: Int?, inputCount: Int?) -> [[Double]]? {
        let example = "weights: [[0.1, 0.2], [0.3, 0.4]]  # one row per unit, one number per input"
        guard let rows = require(entry.weights, "weights", in: path, at: entry.location, example: example)
        else { return nil }
        var valid = true
        if let units, rows.value.count != units {
            error(at: rows.location, path / "weights",
                  "expected \(SpecMessages.count(units, "row")) of weights for layer \(layerName) (one per unit), found \(rows.value.count)",
                  fix: "give one row per unit of the layer")
            valid = false
        }
        for (index, row) in rows.value.enumerated() {
            guard let inputCount, row.value.count != inputCount else { continue }
            error(at: row.location, path / "weights" / index,
                  "expected \(SpecMessages.count(inputCount, "weight")) per row for layer \(layerName) (it has \(SpecMessages.count(inputCount, "input"))), found \(row.value.count)",
                  fix: "give one weight per input of the layer")
            valid = false
        }
        return valid ? rows.value.map { $0.value.map(\.value) } : nil
    }

    private mutating func bias(_ entry: LayerEntry, at path: KeyPath, layerName: String, units: Int?) -> ValidatedSpec.Bias? {
        guard let bias = entry.bias else { return ValidatedSpec.Bias.none }
        switch bias.value {
        case .shared(let value):
            return .shared(value)
        case .perUnit(let values):
            if let units, values.count != units {
                error(at: bias.location, path / "bias",
                      "expected \(SpecMessages.count(units, "bias")) for layer \(layerName) (one per unit), found \(values.count)",
                      fix: "give one bias per unit, or a single number to share one bias across the layer")
                return nil
            }
            return .perUnit(values.map(\.value))
        }
    }

    // MARK: Data

    private mutating func samples(_ spec: Spec, inputCount: Int?, outputCount: Int?) -> [ValidatedSpec.Sample]? {
        guard let data = require(spec.data, "data", in: .root, at: spec.location,
                                 example: "data: [{inputs: [0.05, 0.10], targets: [0.01, 0.99]}]")
        else { return nil }
        guard !data.value.isEmpty else {
            error(at: data.location, .root / "data", "expected at least one sample, found an empty list")
            return nil
        }
        var samples: [ValidatedSpec.Sample] = []
        for (index, entry) in data.value.enumerated() {
            let path = KeyPath.root / "data" / index
            let inputs = vector(entry.inputs, "inputs", in: path, at: entry.location, count: inputCount,
                                counted: "model.inputs")
            let targets = vector(entry.targets, "targets", in: path, at: entry.location, count: outputCount,
                                 counted: "the units of the output layer")
            if let inputs, let targets { samples.append(.init(inputs: inputs, targets: targets)) }
        }
        return samples.count == data.value.count ? samples : nil
    }

    private mutating func vector(_ value: Located<[Located<Double>]>?, _ key: String, in path: KeyPath,
                                 at location: SourceLocation, count: Int?, counted: String) -> [Double]? {
        guard let value = require(value, key, in: path, at: location, example: "\(key): [0.5, 0.5]") else { return nil }
        if let count, value.value.count != count {
            error(at: value.location, path / key,
                  "expected \(SpecMessages.count(count, "number")) of \(key) (\(counted)), found \(value.value.count)")
            return nil
        }
        return value.value.map(\.value)
    }

    // MARK: Training and record

    private mutating func training(_ spec: Spec) -> ValidatedSpec.Training? {
        let example = "training: {loss: half_squared_error, learning_rate: 0.5, steps: 100}"
        guard let section = spec.training else {
            missing("training", in: .root, at: spec.location, example: example)
            return nil
        }
        let path = KeyPath.root / "training"
        let loss = resolve(section.loss, Loss.self, "loss", in: path, at: section.location, what: "loss", required: true)
        let optimizer = resolve(section.optimizer, Optimizer.self, "optimizer", in: path, at: section.location,
                                what: "optimizer", required: false) ?? (section.optimizer == nil ? .sgd : nil)
        let batch = resolve(section.batch, Batch.self, "batch", in: path, at: section.location,
                            what: "batch", required: false) ?? (section.batch == nil ? .full : nil)
        let update = resolve(section.update, UpdateOrder.self, "update", in: path, at: section.location,
                             what: "update order", required: false) ?? (section.update == nil ? .deferred : nil)
        var learningRate: Double?
        if let rate = require(section.learningRate, "learning_rate", in: path, at: section.location,
                              example: "learning_rate: 0.5") {
            if rate.value > 0 {
                learningRate = rate.value
            } else {
                error(at: rate.location, path / "learning_rate",
                      "expected a positive learning rate, found \(rate.value)",
                      fix: "a positive number such as 0.1; gradient descent subtracts learning_rate times the gradient")
            }
        }
        var steps: Int?
        if let count = require(section.steps, "steps", in: path, at: section.location, example: "steps: 1000") {
            if count.value >= 1 {
                steps = count.value
            } else {
                error(at: count.location, path / "steps", "expected at least 1 step, found \(count.value)",
                      fix: "steps counts parameter updates; write a whole number of 1 or more")
            }
        }
        let trainBiases = section.trainBiases?.value ?? true
        guard let loss, let optimizer, let batch, let update, let learningRate, let steps else { return nil }
        return .init(loss: loss, optimizer: optimizer, learningRate: learningRate, steps: steps,
                     trainBiases: trainBiases, batch: batch, update: update)
    }

    private mutating func record(_ spec: Spec, steps: Int?) -> ValidatedSpec.Record? {
        let path = KeyPath.root / "record"
        var every = 1
        var valid = true
        if let given = spec.record?.every {
            if given.value < 1 {
                error(at: given.location, path / "every", "expected a whole number of steps of 1 or more, found \(given.value)")
                valid = false
            } else {
                every = given.value
            }
            if let steps, given.value >= 1, steps / given.value > Limits.maxHistoryPoints - 2 {
                let needed = steps / (Limits.maxHistoryPoints - 2) + 1
                error(at: given.location, path / "every",
                      "recording every \(given.value) steps of \(steps) keeps more than \(Limits.maxHistoryPoints) loss values",
                      fix: "set record.every to \(needed) or more")
                valid = false
            }
        } else if let steps, steps > Limits.maxHistoryPoints - 2 {
            let needed = steps / (Limits.maxHistoryPoints - 2) + 1
            error(at: spec.record?.location ?? spec.training?.steps?.location ?? spec.location, path / "every",
                  "recording the loss after each of \(steps) steps keeps more than \(Limits.maxHistoryPoints) values",
                  fix: "add 'record: {every: \(needed)}' or more")
            valid = false
        }
        var traceSteps: [Int] = []
        if let trace = spec.record?.trace {
            if trace.value.count > Limits.maxTraceSteps {
                error(at: trace.location, path / "trace",
                      "at most \(Limits.maxTraceSteps) steps can be traced, found \(trace.value.count)")
                valid = false
            }
            var seen: Set<Int> = []
            for (index, step) in trace.value.enumerated() {
                if step.value < 1 || (steps.map { step.value > $0 } ?? false) {
                    let range = steps.map { "between 1 and \($0) (training.steps)" } ?? "of 1 or more"
                    error(at: step.location, path / "trace" / index,
                          "step \(step.value) is never reached; expected a step number \(range)",
                          fix: "step 1 is the first update; step 0 has no backward pass to trace")
                    valid = false
                } else if !seen.insert(step.value).inserted {
                    error(at: step.location, path / "trace" / index, "step \(step.value) is listed twice",
                          fix: "list each step once")
                    valid = false
                }
            }
            traceSteps = seen.sorted()
        }
        return valid ? .init(every: every, traceSteps: traceSteps) : nil
    }

    // MARK: Shared rules

    /// The value of a required key, or a "missing required key" diagnostic.
    private mutating func require<T>(_ value: Located<T>?, _ key: String, in path: KeyPath,
                                     at location: SourceLocation, example: String) -> Located<T>? {
        if value == nil { missing(key, in: path, at: location, example: example) }
        return value
    }

    private mutating func missing(_ key: String, in path: KeyPath, at location: SourceLocation, example: String) {
        let place = path.components.isEmpty ? "at the top level" : "in \(path)"
        error(at: location, path / key, "missing required key '\(key)' \(place)", fix: "add '\(example)'")
    }

    private mutating func positiveCount(_ value: Located<Int>, _ path: KeyPath, noun: String) -> Bool {
        guard value.value >= 1 else {
            error(at: value.location, path, "expected a positive number of \(noun), found \(value.value)")
            return false
        }
        return true
    }

    /// A name from a vocabulary, with "did you mean" for near misses.
    private mutating func resolve<Name: CaseIterable & RawRepresentable>(
        _ value: Located<String>?, _: Name.Type, _ key: String, in path: KeyPath,
        at location: SourceLocation, what: String, required: Bool
    ) -> Name? where Name.RawValue == String {
        guard let value else {
            if required { missing(key, in: path, at: location, example: "\(key): \(Name.names[0])") }
            return nil
        }
        if let name = Name(rawValue: value.value) { return name }
        var message = "unknown \(what) '\(value.value)'"
        if let suggestion = Suggestion.closest(to: value.value, in: Name.names) {
            message += " - did you mean '\(suggestion)'?"
        }
        error(at: value.location, length: value.value.count, path / key, message,
              fix: "expected \(Name.names.count == 1 ? "" : "one of ")\(Suggestion.list(Name.names))")
        return nil
    }

    private mutating func error(at location: SourceLocation, length: Int = 1, _ path: KeyPath,
                                _ message: String, fix: String? = nil) {
        diagnostics.append(Diagnostic(at: location, length: length, path: path, message: message, fix: fix))
    }
}
