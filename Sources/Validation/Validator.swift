import DataFiles
import Diagnostics
import Spec

/// Checks a decoded `Spec` and builds a `ValidatedSpec`, collecting every problem
/// rather than stopping at the first.
///
/// The rules are the ones Docs/spec-format.md states; each diagnostic names the key
/// path, what was expected and what was found. The checks are split by section:
/// this file (top level and model), `Validator+Data.swift` (samples),
/// `Validator+CSV.swift` (CSV files, read by `CSVFile`), `Validator+Npy.swift` (.npy and
/// .npz files, read by `NpyArray` and `NpzArchive`) and `Validator+Training.swift`
/// (training and record). The file formats are read by the `DataFiles` target.
public struct Validator {
    /// Limits that keep a valid spec from asking for unbounded memory.
    public enum Limits {
        /// Units per layer.
        public static let maxUnits = 1_000_000
        /// Parameters of one layer drawn by an initializer (units x inputs).
        public static let maxDrawnWeights = 100_000_000
        /// Loss values kept in `history`.
        public static let maxHistoryPoints = 10_000_000
        /// Steps that may be traced in full.
        public static let maxTraceSteps = 1_000
    }

    /// Reads a data file named in the spec (a CSV or .npy path, relative to the spec's folder);
    /// nil when it cannot be read.
    public typealias FileReader = (String) -> [UInt8]?

    /// Reads the results file `init_from` names (relative to the spec's folder): its
    /// final parameters, layer by layer, or why it cannot.
    public typealias ResultsReader = (String) -> Result<[LayerParameters], ResultsReadProblem>

    /// Why a results file gives no parameters ("is not JSON: line 3, column 1: ...").
    public struct ResultsReadProblem: Error, Sendable, Equatable {
        public var message: String

        public init(_ message: String) { self.message = message }
    }

    /// The reader of a validator given none: every file is unreadable.
    public static let noResults: @Sendable (String) -> Result<[LayerParameters], ResultsReadProblem> = { _ in
        .failure(ResultsReadProblem("no results file can be read here"))
    }

    public private(set) var diagnostics: [Diagnostic] = []
    let readFile: FileReader
    let readResults: ResultsReader
    /// The spec format (`nnrun: 1` or `2`); a missing or unsupported version reads as 1.
    var format = 1
    /// The classes of the training set's one-hot CSV column, and whether they were inferred
    /// from the file: a validation set that lists none takes them.
    var csvClasses: (classes: [String], inferred: Bool)?
    /// Paths the decoder already reported: a key written with a bad value is not also "missing".
    let reportedPaths: Set<String>

    public init(readFile: @escaping FileReader = { _ in nil }, readResults: @escaping ResultsReader = Validator.noResults,
                decodingDiagnostics: [Diagnostic] = []) {
        self.readFile = readFile
        self.readResults = readResults
        self.reportedPaths = Set(decodingDiagnostics.flatMap { [$0.path.description] + ($0.standsFor.map { [$0.description] } ?? []) })
    }

    /// Validates `spec`; returns nil when any error was found (see `diagnostics`).
    /// `decodingDiagnostics` are the decoder's, so that a key written with a bad value is
    /// reported once (by the decoder), not also as missing.
    public static func validate(_ spec: Spec, decodingDiagnostics: [Diagnostic] = [],
                                readFile: @escaping FileReader = { _ in nil },
                                readResults: @escaping ResultsReader = Validator.noResults)
        -> (spec: ValidatedSpec?, diagnostics: [Diagnostic]) {
        var validator = Validator(readFile: readFile, readResults: readResults, decodingDiagnostics: decodingDiagnostics)
        let result = validator.validate(spec)
        return (result, validator.diagnostics)
    }

    public mutating func validate(_ spec: Spec) -> ValidatedSpec? {
        checkVersion(spec)
        let name = nonEmpty(require(spec.name, "name", in: .root, at: spec.location, example: "name: my-network"),
                            .root / "name")
        var seed: UInt64?
        if let given = spec.seed {
            if given.value >= 0 { seed = UInt64(given.value) } else {
                error(at: given.location, .root / "seed", .negativeSeed(given.value))
            }
        }
        let inputCount = modelInputs(spec)
        let layers = self.layers(spec, inputCount: inputCount, specSeed: spec.seed)
        let loss = self.loss(spec)
        checkLossAndOutput(spec, loss: loss)
        // Targets are checked against the last layer's units even when some layer has errors.
        let outputCount = layers?.last?.units ?? spec.model?.layers?.value.last?.units.flatMap {
            $0.value >= 1 && $0.value <= Limits.maxUnits ? $0.value : nil
        }
        var samples = self.samples(spec.data, "data", spec: spec, inputCount: inputCount, outputCount: outputCount,
                                   loss: loss, required: true)
        var validationSamples = spec.validation == nil ? [] : self.samples(
            spec.validation, "validation", spec: spec, inputCount: inputCount, outputCount: outputCount,
            loss: loss, required: false)
        let validationSplit = split(spec, samples: &samples, validationSamples: &validationSamples)
        let inputScaling = scaling(spec, samples: &samples, validationSamples: &validationSamples, inputCount: inputCount)
        let hasValidation = spec.validation != nil || spec.validationSplit != nil
        var training = self.training(spec, loss: loss, sampleCount: samples?.count)
        let earlyStopping = self.earlyStopping(spec, loss: loss, hasValidation: hasValidation)
        training?.earlyStopping = earlyStopping
        let stepsPerEpoch = samples.flatMap { samples in
            training.map { training in
                let batch = training.batch.size(of: samples.count)
                return (samples.count + batch - 1) / batch
            }
        }
        let record = self.record(spec, steps: training?.steps, stepsPerEpoch: stepsPerEpoch)
        let expectations = self.expectations(spec, layers: layers, sampleCount: samples?.count, training: training,
                                             hasValidation: hasValidation)

        guard !diagnostics.containsErrors, let name, let inputCount, let layers, let samples,
              let validationSamples, let training, let record, let expectations
        else { return nil }
        return ValidatedSpec(name: name.value, description: spec.description?.value, inputCount: inputCount,
                             layers: layers, samples: samples, validationSamples: validationSamples,
                             validationSplit: validationSplit, inputScaling: inputScaling, training: training, record: record, seed: seed, expectations: expectations,
                             inferredClasses: csvClasses?.inferred == true ? csvClasses?.classes : nil)
    }

    // MARK: Top level and model

    private mutating func checkVersion(_ spec: Spec) {
        guard let version = spec.version else {
            if alreadyReported(.root / "nnrun") { return }
            error(at: spec.location, .root, .missingVersion)
            return
        }
        if version.value == 2 {
            format = 2
        } else if version.value != 1 {
            error(at: version.location, .root / "nnrun", .unsupportedVersion(version.value))
        }
    }

    private mutating func modelInputs(_ spec: Spec) -> Int? {
        guard let model = spec.model else {
            missing("model", in: .root, at: spec.location, example: "model: {inputs: 2, layers: [...]}")
            return nil
        }
        guard let inputs = require(model.inputs, "inputs", in: .root / "model", at: model.location, example: "inputs: 2")
        else { return nil }
        return positiveCount(inputs, .root / "model" / "inputs", noun: "inputs") ? inputs.value : nil
    }

    private mutating func layers(_ spec: Spec, inputCount: Int?, specSeed: Located<Int>?) -> [ValidatedSpec.Layer]? {
        guard let model = spec.model else { return nil }
        let path = KeyPath.root / "model" / "layers"
        guard let entries = require(model.layers, "layers", in: .root / "model", at: model.location,
                                    example: "layers: [{name: output, units: 1, activation: sigmoid, weights: [[0.5]]}]")
        else { return nil }
        guard !entries.value.isEmpty else {
            error(at: entries.location, path, .noLayers)
            return nil
        }
        var layers: [ValidatedSpec.Layer] = []
        var complete = true
        var fanIn = inputCount
        let suggestedNames = Validator.namesForUnnamedLayers(entries.value)
        // Format 2 names an unnamed layer `layer1`, `layer2`, ... by its position.
        let defaultNames = entries.value.indices.map { format == 2 && entries.value[$0].name == nil ? "layer\($0 + 1)" : nil }
        checkUniqueNames(entries.value, defaultNames: defaultNames, at: path)
        let starting = startingLayers(spec, layerCount: entries.value.count)
        for (index, entry) in entries.value.enumerated() {
            let layerPath = path / index
            guard entry.isMapping else {
                // Reported by the decoder; the next layer's fan-in is then unknown.
                complete = false
                fanIn = nil
                continue
            }
            let isOutput = index == entries.value.count - 1
            let layer = self.layer(entry, at: layerPath, inputCount: fanIn, isOutput: isOutput, specSeed: specSeed,
                                   suggestedName: suggestedNames[index], defaultName: defaultNames[index],
                                   starting: starting.map { ($0.file, $0.layers[index]) },
                                   parametersUnknown: starting == nil && format == 2 && spec.initFrom != nil)
            fanIn = layer?.units ?? entry.units.flatMap { $0.value > 0 && $0.value <= Limits.maxUnits ? $0.value : nil }
            if let layer { layers.append(layer) } else { complete = false }
        }
        return complete ? layers : nil
    }

    /// Explicit names must differ from each other and from the defaulted ones.
    private mutating func checkUniqueNames(_ entries: [LayerEntry], defaultNames: [String?], at path: KeyPath) {
        var defaulted: [String: Int] = [:]
        for (index, name) in defaultNames.enumerated() { if let name { defaulted[name] = index } }
        var namesSeen: [String: SourceLocation] = [:]
        for (index, entry) in entries.enumerated() where entry.isMapping {
            guard let name = entry.name else { continue }
            if let first = namesSeen[name.value] {
                error(at: name.location, path / index / "name", .duplicateLayerName(name.value, firstLine: first.line))
            } else if let other = defaulted[name.value] {
                error(at: name.location, path / index / "name", .duplicateDefaultedName(name.value, defaultedAt: path / other))
            } else {
                namesSeen[name.value] = name.location
            }
        }
    }

    private mutating func layer(_ entry: LayerEntry, at path: KeyPath, inputCount: Int?, isOutput: Bool,
                                specSeed: Located<Int>?, suggestedName: String, defaultName: String?,
                                starting: (file: Located<String>, layer: LayerParameters)?,
                                parametersUnknown: Bool) -> ValidatedSpec.Layer? {
        if entry.name == nil, defaultName == nil, !alreadyReported(path / "name") {
            error(at: entry.location, path / "name", .missingLayerName(in: path, suggested: suggestedName))
        }
        let name = nonEmpty(entry.name, path / "name") ?? defaultName.map { Located($0, at: entry.location) }
        let layerName = name.map { "'\($0.value)'" } ?? "at \(path)"
        var units: Int?
        if let entryUnits = require(entry.units, "units", in: path, at: entry.location, example: "units: 2") {
            if positiveCount(entryUnits, path / "units", noun: "units") {
                if entryUnits.value > Limits.maxUnits {
                    error(at: entryUnits.location, path / "units", .tooManyUnits(entryUnits.value, limit: Limits.maxUnits))
                } else {
                    units = entryUnits.value
                }
            }
        }
        let activation = resolve(entry.activation, Activation.self, "activation", in: path, at: entry.location,
                                 what: "activation", .unknownActivation, required: true)
        if activation == .softmax && !isOutput, let written = entry.activation {
            error(at: written.location, length: written.value.count, path / "activation", .softmaxOnHiddenLayer(layerName))
        }
        var alpha = 0.01
        if let given = entry.alpha {
            if activation != nil && activation != .leakyRelu {
                error(at: given.location, path / "alpha", .alphaWithoutLeakyRelu(activation?.rawValue ?? ""))
            } else if given.value < 0 || given.value >= 1 {
                error(at: given.location, path / "alpha", .alphaOutOfRange(given))
            } else {
                alpha = given.value
            }
        }
        let weights: ValidatedSpec.InitialWeights?, bias: ValidatedSpec.Bias?
        if parametersUnknown {
            // `init_from` was reported: the layer's parameters were to come from it.
            (weights, bias) = (nil, nil)
        } else if let starting {
            (weights, bias) = startingParameters(entry, at: path, from: starting.file, starting.layer,
                                                 name: name?.value, units: units, inputCount: inputCount)
        } else {
            weights = self.weights(entry, at: path, layerName: layerName, units: units, inputCount: inputCount,
                                   specSeed: specSeed)
            bias = self.bias(entry, at: path, layerName: layerName, units: units, specSeed: specSeed)
        }
        guard let name, let units, let activation, let weights, let bias, let inputCount else { return nil }
        return ValidatedSpec.Layer(name: name.value, inputCount: inputCount, units: units, activation: activation,
                                   alpha: alpha, weights: weights, bias: bias, location: entry.location)
    }

    // MARK: Shared rules

    /// The value of a required key, or a "missing required key" diagnostic.
    mutating func require<T>(_ value: Located<T>?, _ key: String, in path: KeyPath,
                             at location: SourceLocation, example: String) -> Located<T>? {
        if value == nil { missing(key, in: path, at: location, example: example) }
        return value
    }

    /// Whether the decoder already reported something at `path` (or inside it, or a
    /// misspelling of it): then it is not reported again as missing.
    func alreadyReported(_ path: KeyPath) -> Bool {
        let written = path.description
        return reportedPaths.contains { $0 == written || $0.hasPrefix(written + ".") || $0.hasPrefix(written + "[") }
    }

    mutating func missing(_ key: String, in path: KeyPath, at location: SourceLocation, example: String) {
        if alreadyReported(path / key) { return }
        error(at: location, path / key, .missingKey(key, in: path, example: example))
    }

    /// A name must have at least one visible character.
    mutating func nonEmpty(_ name: Located<String>?, _ path: KeyPath) -> Located<String>? {
        guard let name else { return nil }
        if name.value.allSatisfy(\.isWhitespace) {
            error(at: name.location, path, .emptyName)
            return nil
        }
        if name.value.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            error(at: name.location, path, .controlCharacterInName)
            return nil
        }
        return name
    }

    mutating func positiveCount(_ value: Located<Int>, _ path: KeyPath, noun: String) -> Bool {
        guard value.value >= 1 else {
            error(at: value.location, path, .notPositive(value.value, noun: noun))
            return false
        }
        return true
    }

    /// A name from a vocabulary, with "did you mean" for near misses.
    mutating func resolve<Name: CaseIterable & RawRepresentable>(
        _ value: Located<String>?, _: Name.Type, _ key: String, in path: KeyPath,
        at location: SourceLocation, what: String, _ id: DiagnosticID, required: Bool
    ) -> Name? where Name.RawValue == String {
        guard let value else {
            if required { missing(key, in: path, at: location, example: "\(key): \(Name.names[0])") }
            return nil
        }
        if let name = Name(rawValue: value.value) { return name }
        error(at: value.location, length: value.value.count, path / key,
              .unknownName(id, what: what, value.value, names: Name.names))
        return nil
    }

    mutating func error(at location: SourceLocation, length: Int = 1, _ path: KeyPath, _ message: DiagnosticMessage) {
        diagnostics.append(Diagnostic(message, at: location, length: length, path: path))
    }

    /// A name to suggest for each layer written without one, unlike every other layer's
    /// name: the last layer `output`, the others `hidden`, then `hidden2`, `hidden3`, ...
    static func namesForUnnamedLayers(_ entries: [LayerEntry]) -> [String] {
        var taken = Set(entries.compactMap { $0.name?.value })
        return entries.indices.map { index in
            let base = index == entries.count - 1 ? "output" : "hidden"
            var candidate = base
            var number = 1
            while taken.contains(candidate) {
                number += 1
                candidate = "\(base)\(number)"
            }
            if entries[index].name == nil { taken.insert(candidate) }
            return candidate
        }
    }
}
