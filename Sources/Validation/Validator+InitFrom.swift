import Diagnostics
import Spec

/// `init_from: RESULTS.json` (format 2): every layer starts from the final parameters of the
/// run that wrote the file. The file must have the spec's layers, in order, with the same
/// names, units and inputs; a layer's bias form (none, shared, one per unit) is the file's
/// (a shared bias is written once per unit there, and read back as one parameter).
extension Validator {
    /// The results file's layers, one per layer of the spec; nil (after reporting) when there
    /// are none to start from.
    mutating func startingLayers(_ spec: Spec, layerCount: Int) -> (file: Located<String>, layers: [LayerParameters])? {
        guard let file = spec.initFrom else { return nil }
        guard format == 2 else {
            error(at: file.location, .root / "init_from", .needsFormat2("'init_from'"))
            return nil
        }
        switch readResults(file.value) {
        case .failure(let problem):
            error(at: file.location, length: file.value.count, .root / "init_from", .initFromUnreadable(file.value, problem.message))
            return nil
        case .success(let layers):
            guard layers.count == layerCount else {
                error(at: file.location, length: file.value.count, .root / "init_from",
                      .initFromLayerCount(file.value, found: layers.count, expected: layerCount))
                return nil
            }
            return (file, layers)
        }
    }

    /// A layer's weights and bias from `starting`, after checking its name and shape.
    mutating func startingParameters(_ entry: LayerEntry, at path: KeyPath, from file: Located<String>,
                                     _ starting: LayerParameters, name: String?, units: Int?, inputCount: Int?)
        -> (ValidatedSpec.InitialWeights?, ValidatedSpec.Bias?) {
        var conflict = false
        for (key, location) in [("weights", entry.weights?.location), ("bias", entry.bias?.location)] {
            guard let location else { continue }
            error(at: location, path / key, .initFromAndParameters(key))
            conflict = true
        }
        guard let name, let units, let inputCount, !conflict else { return (nil, nil) }
        guard starting.name == name else {
            error(at: entry.name?.location ?? entry.location, path / "name",
                  .initFromLayerName(file.value, index: path.lastIndex ?? 0, found: starting.name, expected: name))
            return (nil, nil)
        }
        let rows = starting.weights.count, columns = starting.weights.first?.count ?? 0
        // A results file repeats a shared bias for every unit (Docs/results-format.md).
        guard rows == units, starting.weights.allSatisfy({ $0.count == inputCount }), (starting.bias?.count ?? units) == units
        else {
            error(at: entry.units?.location ?? entry.location, path / "units",
                  .initFromLayerShape(file.value, layer: name, found: "(\(rows), \(columns))",
                                      expected: "(\(units), \(inputCount))"))
            return (nil, nil)
        }
        let bias: ValidatedSpec.Bias
        switch (starting.bias, starting.biasShared) {
        case (nil, _): bias = .none
        case (let values?, true): bias = .shared(values[0])
        case (let values?, false): bias = .perUnit(values)
        }
        return (.listed(starting.weights), bias)
    }
}

private extension KeyPath {
    /// `model.layers[2]` -> 2.
    var lastIndex: Int? {
        if case .index(let index)? = components.last { return index }
        return nil
    }
}
