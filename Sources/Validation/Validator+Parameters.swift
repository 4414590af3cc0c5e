import DataFiles
import Diagnostics
import Spec

/// Where each layer's initial parameters come from: listed in the spec, drawn, read from a
/// `.npy` file (format 2), format 2's defaults (drawn glorot_uniform weights, a zero bias
/// per unit), or another run's results (`init_from`, format 2). Docs/spec-format.md.
extension Validator {
    /// Format 1: listed or drawn, required. Format 2 adds `{npy: FILE}` and, when omitted,
    /// glorot_uniform from the spec's seed.
    mutating func weights(_ entry: LayerEntry, at path: KeyPath, layerName: String,
                          units: Int?, inputCount: Int?, specSeed: Located<Int>?) -> ValidatedSpec.InitialWeights? {
        guard let weights = entry.weights else {
            if format == 2 {
                // The default initializer, seeded as a layer's drawn weights without a seed of their own.
                if specSeed == nil, !alreadyReported(.root / "seed") {
                    error(at: entry.location, path / "weights", .missingDefaultSeed(layer: layerName))
                    return nil
                }
                if drawsTooMany(units: units, inputCount: inputCount) {
                    error(at: entry.location, path / "weights",
                          .tooManyWeights(layer: layerName, units: units ?? 0, inputs: inputCount ?? 0, limit: Limits.maxDrawnWeights))
                    return nil
                }
                return .drawn(ValidatedSpec.defaultInitializer, seed: nil)
            }
            if !alreadyReported(path / "weights") {
                error(at: entry.location, path / "weights", .missingWeights(in: path, units: units, inputs: inputCount))
            }
            return nil
        }
        switch weights.value {
        case .npy(let file):
            guard format == 2 else {
                error(at: weights.location, path / "weights", .needsFormat2("'weights: {npy: ...}'"))
                return nil
            }
            guard let units, let inputCount,
                  let values = parameterFile(file, at: path / "weights" / "npy", what: "weights", layerName: layerName,
                                             shape: [units, inputCount])
            else { return nil }
            return .listed((0..<units).map { Array(values[($0 * inputCount)..<(($0 + 1) * inputCount)]) })
        case .drawn(let initializer):
            let drawn = self.initializer(initializer, at: path / "weights", specSeed: specSeed)
            if let units, let inputCount, drawsTooMany(units: units, inputCount: inputCount) {
                error(at: weights.location, path / "weights",
                      .tooManyWeights(layer: layerName, units: units, inputs: inputCount, limit: Limits.maxDrawnWeights))
                return nil
            }
            return drawn.map { .drawn($0.0, seed: $0.seed) }
        case .listed(let rows):
            // (inputs, units) instead of (units, inputs): one error that says so, not one per row.
            if let units, let inputCount, units != inputCount, rows.count == inputCount,
               rows.allSatisfy({ $0.value.count == units }) {
                error(at: weights.location, path / "weights",
                      .transposedWeights(layer: layerName, units: units, inputs: inputCount))
                return nil
            }
            var valid = true
            if let units, rows.count != units {
                error(at: weights.location, path / "weights", .weightRowCount(layer: layerName, units: units, found: rows.count))
                valid = false
            }
            for (index, row) in rows.enumerated() {
                guard let inputCount, row.value.count != inputCount else { continue }
                error(at: row.location, path / "weights" / index,
                      .weightColumnCount(layer: layerName, inputs: inputCount, found: row.value.count))
                valid = false
            }
            return valid ? .listed(rows.map { $0.value.map(\.value) }) : nil
        }
    }

    /// `{init: NAME, seed: N, low/high (uniform), mean/std (normal)}`.
    /// For a bias only `uniform` and `normal`: the fan-based schemes are defined for weights.
    private mutating func initializer(_ entry: InitializerEntry, at path: KeyPath, specSeed: Located<Int>?,
                                      forBias: Bool = false) -> (ValidatedSpec.Initializer, seed: UInt64?)? {
        var name = resolve(entry.name, InitializerName.self, "init", in: path, at: entry.location,
                           what: "initializer", .unknownInitializer, required: true)
        if forBias, let written = name, written != .uniform, written != .normal, let given = entry.name {
            error(at: given.location, length: given.value.count, path / "init", .biasInitializer(given.value))
            name = nil
        }
        var seed: UInt64?
        if let given = entry.seed {
            if given.value >= 0 { seed = UInt64(given.value) } else {
                error(at: given.location, path / "seed", .negativeSeed(given.value))
            }
        } else if specSeed == nil {
            error(at: entry.location, path / "seed", .missingInitializerSeed(of: forBias ? "biases" : "weights"))
        }
        for (key, value, owner) in [("low", entry.low, InitializerName.uniform), ("high", entry.high, .uniform),
                                    ("mean", entry.mean, .normal), ("std", entry.std, .normal)] {
            if let value, let name, name != owner {
                error(at: value.location, path / key, .initializerSetting(key, owner: owner.rawValue, found: name.rawValue))
            }
        }
        guard let name else { return nil }
        let initializer: ValidatedSpec.Initializer
        switch name {
        case .uniform:
            let low = entry.low?.value ?? 0, high = entry.high?.value ?? 1
            // The bounds as written; the defaults as the docs write them.
            let lowText = entry.low.map(SpecMessages.number) ?? "0", highText = entry.high.map(SpecMessages.number) ?? "1"
            if !(low < high) {
                error(at: (entry.high ?? entry.low)?.location ?? entry.location, path / "high",
                      .uniformBoundsOrder(low: lowText, high: highText))
                return nil
            }
            if !(high - low).isFinite {
                error(at: (entry.high ?? entry.low)?.location ?? entry.location, path / "high",
                      .uniformRangeOverflows(low: lowText, high: highText))
                return nil
            }
            initializer = .uniform(low: low, high: high)
        case .normal:
            let std = entry.std?.value ?? 1
            if std < 0, let given = entry.std {
                error(at: given.location, path / "std", .negativeStd(given))
                return nil
            }
            // A standard normal draw has |z| <= sqrt(208 ln 2) ~ 12.0073 (Docs/random.md), so
            // when |mean| + 12.01 std is finite every draw mean + std z is; otherwise a draw
            // can be infinite and the run could only diverge.
            let mean = entry.mean?.value ?? 0
            if !(abs(mean) + std * 12.01).isFinite {
                error(at: entry.std?.location ?? entry.location, path / "std", .normalDrawsOverflow(mean: mean, std: std))
                return nil
            }
            initializer = .normal(mean: mean, std: std)
        case .xavierUniform: initializer = .xavierUniform
        case .xavierNormal: initializer = .xavierNormal
        case .heUniform: initializer = .heUniform
        case .heNormal: initializer = .heNormal
        }
        return (initializer, seed)
    }

    /// Format 1: omitted is no bias. Format 2: omitted is a trained zero per unit, `none` is
    /// no bias, and `{fill: x}`, `{init: ...}` and `{npy: FILE}` give one per unit.
    mutating func bias(_ entry: LayerEntry, at path: KeyPath, layerName: String, units: Int?,
                       specSeed: Located<Int>?) -> ValidatedSpec.Bias? {
        guard let bias = entry.bias else {
            guard format == 2 else { return ValidatedSpec.Bias.none }
            return units.map { .perUnit(Array(repeating: 0, count: $0)) }
        }
        if format == 1, bias.value.needsFormat2 {
            let form: String
            switch bias.value {
            case .none: form = "'bias: none'"
            case .fill: form = "'bias: {fill: ...}'"
            case .drawn: form = "'bias: {init: ...}'"
            default: form = "'bias: {npy: ...}'"
            }
            error(at: bias.location, path / "bias", .needsFormat2(form))
            return nil
        }
        switch bias.value {
        case .shared(let value):
            return .shared(value)
        case .perUnit(let values):
            if let units, values.count != units {
                error(at: bias.location, path / "bias", .biasCount(layer: layerName, units: units, found: values.count))
                return nil
            }
            return .perUnit(values.map(\.value))
        case .none:
            return ValidatedSpec.Bias.none
        case .fill(let value):
            return units.map { .perUnit(Array(repeating: value.value, count: $0)) }
        case .drawn(let initializer):
            // Without a seed of its own, a bias derives one from the spec's (Docs/random.md).
            let drawn = self.initializer(initializer, at: path / "bias", specSeed: specSeed, forBias: true)
            return drawn.map { .drawn($0.0, seed: $0.seed) }
        case .npy(let file):
            guard let units, let values = parameterFile(file, at: path / "bias" / "npy", what: "biases",
                                                        layerName: layerName, shape: [units])
            else { return nil }
            return .perUnit(values)
        }
    }

    func drawsTooMany(units: Int?, inputCount: Int?) -> Bool {
        guard let units, let inputCount else { return false }
        let (product, overflow) = units.multipliedReportingOverflow(by: inputCount)
        return overflow || product > Limits.maxDrawnWeights
    }

    /// The values of a float `.npy` file of exactly `shape`, row-major; nil after reporting why not.
    private mutating func parameterFile(_ file: Located<String>, at path: KeyPath, what: String, layerName: String,
                                        shape: [Int]) -> [Double]? {
        guard let bytes = readFile(file.value) else {
            error(at: file.location, path, .dataFileUnreadable(".npy", file.value))
            return nil
        }
        let array: NpyArray
        switch NpyArray.read(bytes) {
        case .success(let read): array = read
        case .failure(let problem):
            error(at: file.location, path, .npyFormat(file.value, problem.message, fix: problem.fix))
            return nil
        }
        guard case .float(let values) = array.elements else {
            error(at: file.location, path, .parameterFileNotFloat(file.value, descr: array.descr))
            return nil
        }
        guard array.shape == shape else {
            error(at: file.location, path,
                  .parameterFileShape(file.value, what: what, layer: layerName, found: array.shape, expected: shape))
            return nil
        }
        if let first = values.firstIndex(where: { !$0.isFinite }) {
            error(at: file.location, path, .nonFiniteValue(file.value, place: "element \(first)", found: values[first],
                                                           count: values.lazy.filter { !$0.isFinite }.count))
            return nil
        }
        return values
    }
}
