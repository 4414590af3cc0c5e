import Diagnostics
import YAMLSource

/// Decodes a YAML node tree into a `Spec`, reporting every problem of YAML shape on
/// the way: unknown and duplicate keys, a list where a number belongs, a quoted number,
/// `0x10` or `yes` where a number belongs. Semantic rules (required keys, shapes,
/// names, ranges) are `Validation`'s.
public struct SpecDecoder {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    /// Decodes `root`; the diagnostics are in `diagnostics` afterwards. nil when the
    /// document is not a mapping at all (nothing else is worth reporting then).
    public mutating func decode(_ root: YAMLNode) -> Spec? {
        var spec = Spec(location: root.location)
        // `extends` is read and removed before decoding (Pipeline's SpecComposition), so it is
        // not among the decoder's keys; the messages list it with the others.
        guard let top = mapping(root, at: .root, keys: Spec.keys, listed: Spec.keys + ["extends"], what: "the spec")
        else { return nil }
        spec.version = top["nnrun"].flatMap { integer($0, at: .root / "nnrun") }
        spec.name = top["name"].flatMap { string($0, at: .root / "name") }
        spec.description = top["description"].flatMap { string($0, at: .root / "description") }
        spec.seed = top["seed"].flatMap { integer($0, at: .root / "seed") }
        spec.initFrom = top["init_from"].flatMap { string($0, at: .root / "init_from") }
        spec.model = top["model"].flatMap { model($0, at: .root / "model") }
        spec.data = top["data"].flatMap { data(withoutScale($0, at: .root / "data", scale: &spec.dataScale), at: .root / "data") }
        if let node = top["validation"], node.hasKey("split") {
            spec.validationSplit = validationSplit(node, at: .root / "validation")
        } else {
            spec.validation = top["validation"].flatMap { data($0, at: .root / "validation") }
        }
        spec.training = top["training"].flatMap { training($0, at: .root / "training") }
        spec.record = top["record"].flatMap { record($0, at: .root / "record") }
        spec.expect = top["expect"].flatMap { expect($0, at: .root / "expect") }
        spec.sweepLocation = top["sweep"]?.location
        return spec
    }

    // MARK: Sections

    private mutating func model(_ node: YAMLNode, at path: KeyPath) -> ModelSection? {
        guard let fields = mapping(node, at: path, keys: ModelSection.keys, what: "the model") else { return nil }
        var model = ModelSection(location: node.location)
        model.inputs = fields["inputs"].flatMap { integer($0, at: path / "inputs") }
        if let layersNode = fields["layers"], let items = sequence(layersNode, at: path / "layers", of: "layers") {
            let layers = items.enumerated().map { index, item in
                layer(item, at: path / "layers" / index) ?? LayerEntry(notAMappingAt: item.location)
            }
            model.layers = Located(layers, at: layersNode.location)
        }
        return model
    }

    private mutating func layer(_ node: YAMLNode, at path: KeyPath) -> LayerEntry? {
        guard let fields = mapping(node, at: path, keys: LayerEntry.keys, what: "a layer") else { return nil }
        var layer = LayerEntry(location: node.location)
        layer.name = fields["name"].flatMap { string($0, at: path / "name") }
        layer.units = fields["units"].flatMap { integer($0, at: path / "units") }
        layer.activation = fields["activation"].flatMap { string($0, at: path / "activation") }
        layer.alpha = fields["alpha"].flatMap { number($0, at: path / "alpha") }
        if let weightsNode = fields["weights"] {
            if weightsNode.hasKey("npy") {
                layer.weights = file(weightsNode, at: path / "weights", what: "a weights file").map {
                    Located(.npy($0), at: weightsNode.location)
                }
            } else if case .mapping = weightsNode.content {
                layer.weights = initializer(weightsNode, at: path / "weights").map {
                    Located(.drawn($0), at: weightsNode.location)
                }
            } else if let rows = sequence(weightsNode, at: path / "weights",
                                          of: "weight rows (or a mapping such as {init: xavier_uniform, seed: 1})") {
                let decoded = rows.enumerated().compactMap { index, row in
                    numberList(row, at: path / "weights" / index, of: "weights")
                }
                if decoded.count == rows.count { layer.weights = Located(.listed(decoded), at: weightsNode.location) }
            }
        }
        if let biasNode = fields["bias"] {
            if case .sequence = biasNode.content {
                layer.bias = numberList(biasNode, at: path / "bias", of: "biases").map {
                    Located(.perUnit($0.value), at: $0.location)
                }
            } else if case .scalar(let scalar) = biasNode.content, scalar.isPlain, scalar.text == "none" {
                layer.bias = Located(.none, at: biasNode.location)
            } else if case .mapping = biasNode.content {
                layer.bias = biasMapping(biasNode, at: path / "bias")
            } else {
                layer.bias = number(biasNode, at: path / "bias").map { Located(.shared($0.value), at: $0.location) }
            }
        }
        return layer
    }

    /// `{fill: X}`, `{npy: FILE}` or `{init: NAME, seed: N, ...}`: one bias per unit.
    private mutating func biasMapping(_ node: YAMLNode, at path: KeyPath) -> Located<BiasEntry>? {
        if node.hasKey("fill") {
            guard let fields = mapping(node, at: path, keys: ["fill"], what: "a bias fill") else { return nil }
            return fields["fill"].flatMap { number($0, at: path / "fill") }.map { Located(.fill($0), at: node.location) }
        }
        if node.hasKey("npy") {
            return file(node, at: path, what: "a bias file").map { Located(.npy($0), at: node.location) }
        }
        return initializer(node, at: path, what: "a bias initializer").map { Located(.drawn($0), at: node.location) }
    }

    /// `{npy: FILE}`: the file's path, relative to the spec's folder.
    private mutating func file(_ node: YAMLNode, at path: KeyPath, what: String) -> Located<String>? {
        guard let fields = mapping(node, at: path, keys: ["npy"], what: what) else { return nil }
        return fields["npy"].flatMap { string($0, at: path / "npy") }
    }

    private mutating func initializer(_ node: YAMLNode, at path: KeyPath,
                                      what: String = "a weight initializer") -> InitializerEntry? {
        guard let fields = mapping(node, at: path, keys: InitializerEntry.keys, what: what) else { return nil }
        var entry = InitializerEntry(location: node.location)
        entry.name = fields["init"].flatMap { string($0, at: path / "init") }
        entry.seed = fields["seed"].flatMap { integer($0, at: path / "seed") }
        entry.low = fields["low"].flatMap { number($0, at: path / "low") }
        entry.high = fields["high"].flatMap { number($0, at: path / "high") }
        entry.mean = fields["mean"].flatMap { number($0, at: path / "mean") }
        entry.std = fields["std"].flatMap { number($0, at: path / "std") }
        return entry
    }

    /// A list of samples; a mapping with an `npy` key (.npy files) or an `npz` key (a .npz
    /// archive); any other mapping (a CSV file).
    private mutating func data(_ node: YAMLNode, at path: KeyPath) -> Located<DataEntry>? {
        if case .mapping(let pairs) = node.content {
            if pairs.contains(where: { $0.key.scalarText == "npz" }) {
                return npz(node, at: path).map { Located(.npz($0), at: node.location) }
            }
            let npyKey = pairs.first { $0.key.scalarText == "npy" }?.key
            if let npyKey {
                if let csvKey = pairs.first(where: { $0.key.scalarText == "csv" })?.key {
                    diagnostics.append(Diagnostic(
                        .csvAndNpy, at: npyKey.location, length: npyKey.length, path: path / "npy",
                        notes: [.init(location: csvKey.location, message: "'csv' is given here")]))
                    return nil
                }
                return npy(node, at: path).map { Located(.npy($0), at: node.location) }
            }
            return csv(node, at: path).map { Located(.csv($0), at: node.location) }
        }
        return inlineSamples(node, at: path).map { Located(.inline($0), at: node.location) }
    }

    private mutating func csv(_ node: YAMLNode, at path: KeyPath) -> CSVEntry? {
        guard let fields = mapping(node, at: path, keys: CSVEntry.keys, what: "a CSV data source") else { return nil }
        var entry = CSVEntry(location: node.location)
        entry.path = fields["csv"].flatMap { string($0, at: path / "csv") }
        entry.inputs = fields["inputs"].flatMap { stringList($0, at: path / "inputs", of: "column names") }
        entry.targets = fields["targets"].flatMap { stringList($0, at: path / "targets", of: "column names") }
        if let oneHotNode = fields["one_hot"],
           let oneHot = mapping(oneHotNode, at: path / "one_hot", keys: OneHotEntry.keys, what: "one_hot") {
            var decoded = OneHotEntry(location: oneHotNode.location)
            decoded.column = oneHot["column"].flatMap { string($0, at: path / "one_hot" / "column") }
            decoded.classes = oneHot["classes"].flatMap { stringList($0, at: path / "one_hot" / "classes", of: "class names") }
            entry.oneHot = decoded
        }
        return entry
    }

    /// `{npy: {inputs: PATH, targets: PATH}}`.
    private mutating func npy(_ node: YAMLNode, at path: KeyPath) -> NpyEntry? {
        fileSource(node, at: path, key: "npy", what: "the .npy files",
                   example: "{inputs: data/x.npy, targets: data/y.npy}", entry: NpyEntry.init(location:),
                   fields: [("inputs", \.inputs), ("targets", \.targets)])
    }

    /// `{npz: {file: PATH, inputs: NAME, targets: NAME}}`.
    private mutating func npz(_ node: YAMLNode, at path: KeyPath) -> NpzEntry? {
        fileSource(node, at: path, key: "npz", what: "the .npz archive and its arrays",
                   example: "{file: data/d.npz, inputs: x, targets: y}", entry: NpzEntry.init(location:),
                   fields: [("file", \.file), ("inputs", \.inputs), ("targets", \.targets)])
    }

    /// A data source that reads files (`npy: {...}`, `npz: {...}`): the mapping under `key`,
    /// whose keys are `fields`' names, each a string stored into the entry made at the
    /// mapping's location; nil after reporting what is wrong.
    private mutating func fileSource<Entry>(_ node: YAMLNode, at path: KeyPath, key: String,
                                            what: String, example: String, entry make: (SourceLocation) -> Entry,
                                            fields: [(name: String, field: WritableKeyPath<Entry, Located<String>?>)])
        -> Entry? {
        guard let source = mapping(node, at: path, keys: [key], what: "an \(key) data source"),
              let inner = source[key] else { return nil }
        guard case .mapping = inner.content else {
            report(inner, path / key, .wrongType("\(what) as a mapping of keys to values", found: inner,
                                                  fix: "write '\(key): \(example)'"))
            return nil
        }
        guard let values = mapping(inner, at: path / key, keys: fields.map(\.name), what: key) else { return nil }
        var entry = make(inner.location)
        for (name, field) in fields {
            entry[keyPath: field] = values[name].flatMap { string($0, at: path / key / name) }
        }
        return entry
    }

    private mutating func inlineSamples(_ node: YAMLNode, at path: KeyPath) -> [SampleEntry]? {
        guard let items = sequence(node, at: path, of: "samples (or a mapping such as {csv: data.csv, ...})") else { return nil }
        var samples: [SampleEntry] = []
        for (index, item) in items.enumerated() {
            let samplePath = path / index
            guard let fields = mapping(item, at: samplePath, keys: SampleEntry.keys, what: "a sample") else {
                samples.append(SampleEntry(notAMappingAt: item.location))
                continue
            }
            var sample = SampleEntry(location: item.location)
            sample.inputs = fields["inputs"].flatMap { numberList($0, at: samplePath / "inputs", of: "inputs") }
            sample.targets = fields["targets"].flatMap { numberList($0, at: samplePath / "targets", of: "targets") }
            samples.append(sample)
        }
        return samples
    }

    private mutating func training(_ node: YAMLNode, at path: KeyPath) -> TrainingSection? {
        guard let fields = mapping(node, at: path, keys: TrainingSection.keys, what: "the training section") else { return nil }
        var training = TrainingSection(location: node.location)
        training.loss = fields["loss"].flatMap { string($0, at: path / "loss") }
        training.optimizer = fields["optimizer"].flatMap { optimizer($0, at: path / "optimizer") }
        training.learningRate = fields["learning_rate"].flatMap { number($0, at: path / "learning_rate") }
        training.steps = fields["steps"].flatMap { integer($0, at: path / "steps") }
        training.epochs = fields["epochs"].flatMap { integer($0, at: path / "epochs") }
        training.trainBiases = fields["train_biases"].flatMap { boolean($0, at: path / "train_biases") }
        if let batchNode = fields["batch"] {
            if case .scalar(let scalar) = batchNode.content, scalar.isPlain, NumberSyntax.isJSONNumber(scalar.text) {
                training.batch = integer(batchNode, at: path / "batch").map { Located(.size($0.value), at: $0.location) }
            } else {
                training.batch = string(batchNode, at: path / "batch").map { Located(.name($0.value), at: $0.location) }
            }
        }
        if let shuffleNode = fields["shuffle"],
           let shuffle = mapping(shuffleNode, at: path / "shuffle", keys: ShuffleEntry.keys, what: "shuffle") {
            var entry = ShuffleEntry(location: shuffleNode.location)
            entry.seed = shuffle["seed"].flatMap { integer($0, at: path / "shuffle" / "seed") }
            training.shuffle = entry
        }
        training.update = fields["update"].flatMap { string($0, at: path / "update") }
        training.schedule = fields["schedule"].flatMap { schedule($0, at: path / "schedule") }
        training.earlyStopping = fields["early_stopping"].flatMap { earlyStopping($0, at: path / "early_stopping") }
        return training
    }

    /// `optimizer: sgd` or `optimizer: {name: sgd, momentum: 0.9}`.
    private mutating func optimizer(_ node: YAMLNode, at path: KeyPath) -> OptimizerEntry? {
        var entry = OptimizerEntry(location: node.location)
        guard case .mapping = node.content else {
            entry.name = string(node, at: path)
            return entry.name == nil ? nil : entry
        }
        guard let fields = mapping(node, at: path, keys: OptimizerEntry.keys, what: "the optimizer") else { return nil }
        entry.name = fields["name"].flatMap { string($0, at: path / "name") }
        entry.momentum = fields["momentum"].flatMap { number($0, at: path / "momentum") }
        entry.nesterov = fields["nesterov"].flatMap { boolean($0, at: path / "nesterov") }
        entry.weightDecay = fields["weight_decay"].flatMap { number($0, at: path / "weight_decay") }
        entry.beta1 = fields["beta1"].flatMap { number($0, at: path / "beta1") }
        entry.beta2 = fields["beta2"].flatMap { number($0, at: path / "beta2") }
        entry.epsilon = fields["epsilon"].flatMap { number($0, at: path / "epsilon") }
        entry.alpha = fields["alpha"].flatMap { number($0, at: path / "alpha") }
        entry.centered = fields["centered"].flatMap { boolean($0, at: path / "centered") }
        return entry
    }

    private mutating func record(_ node: YAMLNode, at path: KeyPath) -> RecordSection? {
        guard let fields = mapping(node, at: path, keys: RecordSection.keys, what: "the record section") else { return nil }
        var record = RecordSection(location: node.location)
        if let everyNode = fields["every"] {
            if case .scalar(let scalar) = everyNode.content, scalar.isPlain, scalar.text == "epoch" {
                record.every = Located(.epoch, at: everyNode.location)
            } else if case .scalar(let scalar) = everyNode.content, scalar.isPlain, !scalar.text.isEmpty,
                      scalar.text.first?.isLetter == true {
                report(everyNode, path / "every", .invalidNumber("a whole number of steps or 'epoch'", found: everyNode,
                                                                  fix: "write 'every: epoch' or a number of steps such as 'every: 10'"))
            } else {
                record.every = integer(everyNode, at: path / "every").map { Located(.steps($0.value), at: $0.location) }
            }
        }
        if let traceNode = fields["trace"], let items = sequence(traceNode, at: path / "trace", of: "step numbers") {
            let steps = items.enumerated().compactMap { index, item in integer(item, at: path / "trace" / index) }
            if steps.count == items.count { record.trace = Located(steps, at: traceNode.location) }
        }
        return record
    }

    // MARK: Expectations

    private mutating func expect(_ node: YAMLNode, at path: KeyPath) -> ExpectSection? {
        var section = ExpectSection(location: node.location)
        var checksNode: YAMLNode?
        var checksPath = path
        if case .mapping = node.content {
            guard let fields = mapping(node, at: path, keys: ExpectSection.keys, what: "the expect section") else { return nil }
            section.tolerance = fields["tolerance"].flatMap { tolerance($0, at: path / "tolerance") }
            checksNode = fields["checks"]
            checksPath = path / "checks"
            section.isMapping = true
        } else {
            checksNode = node
        }
        guard let checksNode, let items = sequence(checksNode, at: checksPath, of: "checks") else { return section }
        for (index, item) in items.enumerated() {
            let checkPath = checksPath / index
            guard let fields = mapping(item, at: checkPath, keys: CheckEntry.keys, what: "a check") else {
                section.checks.append(CheckEntry(notAMappingAt: item.location))
                continue
            }
            var check = CheckEntry(location: item.location)
            if let atNode = fields["at"] {
                if case .scalar(let scalar) = atNode.content, scalar.isPlain, scalar.text == "final" {
                    check.at = Located(.final, at: atNode.location)
                } else if let step = integer(atNode, at: checkPath / "at") {
                    check.at = Located(.step(step.value), at: step.location)
                }
            }
            check.quantity = fields["quantity"].flatMap { string($0, at: checkPath / "quantity") }
            check.value = fields["value"].flatMap { expectedValue($0, at: checkPath / "value") }
            check.tolerance = fields["tolerance"].flatMap { tolerance($0, at: checkPath / "tolerance") }
            section.checks.append(check)
        }
        return section
    }

    private mutating func expectedValue(_ node: YAMLNode, at path: KeyPath) -> Located<ExpectedValue>? {
        if case .sequence(let items) = node.content {
            let values = items.enumerated().compactMap { index, item in expectedValue(item, at: path / index) }
            return values.count == items.count ? Located(.list(values.map(\.value)), at: node.location) : nil
        }
        return number(node, at: path).map { Located(.number($0.value), at: $0.location) }
    }

    private mutating func tolerance(_ node: YAMLNode, at path: KeyPath) -> Located<ToleranceEntry>? {
        guard let fields = mapping(node, at: path, keys: ["abs", "rel"], what: "a tolerance") else { return nil }
        let absolute = fields["abs"].flatMap { number($0, at: path / "abs") }
        let relative = fields["rel"].flatMap { number($0, at: path / "rel") }
        switch (absolute, relative) {
        case (let absolute?, nil): return Located(.absolute(absolute.value), at: node.location)
        case (nil, let relative?): return Located(.relative(relative.value), at: node.location)
        case (.some, .some):
            report(node, path, .toleranceBothBounds)
            return nil
        case (nil, nil):
            if fields["abs"] == nil && fields["rel"] == nil {
                report(node, path, .toleranceEmpty)
            }
            return nil
        }
    }

    // MARK: Mappings

    /// The values of a mapping by key, after reporting non-scalar keys, duplicate keys
    /// (naming both lines) and unknown keys (with the closest known one).
    /// `listed`: the keys the messages name and suggest, when more than `keys` (default: `keys`).
    mutating func mapping(_ node: YAMLNode, at path: KeyPath, keys: [String], listed: [String]? = nil,
                          what: String) -> [String: YAMLNode]? {
        guard case .mapping(let pairs) = node.content else {
            report(node, path, .wrongType("\(what) as a mapping of keys to values", found: node))
            return nil
        }
        var values: [String: YAMLNode] = [:]
        var firstSeen: [String: SourceLocation] = [:]
        let listed = listed ?? keys
        for pair in pairs {
            guard case .scalar(let keyScalar) = pair.key.content else {
                report(pair.key, path, .keyNotAName(found: pair.key, validKeys: listed))
                continue
            }
            let key = keyScalar.text
            guard !key.isEmpty else {
                // `"": x` or `? ` with nothing: no name to look up, and no key path to report it at.
                report(pair.key, path, .emptyKey(isPlain: keyScalar.isPlain, validKeys: listed))
                continue
            }
            if let first = firstSeen[key] {
                diagnostics.append(Diagnostic(
                    .duplicateKey(key, firstLine: first.line), at: pair.key.location, length: key.count, path: path / key,
                    notes: [.init(location: first, message: "'\(key)' is first defined here")]))
                continue
            }
            firstSeen[key] = pair.key.location
            guard keys.contains(key) else {
                unknownKey(pair.key, key, at: path, keys: listed, what: what)
                continue
            }
            values[key] = pair.value
        }
        return values
    }

    /// An unknown key: "did you mean" its alias or nearest key here (`keys`: the listed ones),
    /// or, when it is a key of another section only (`loss:` at the
    /// top level), where it belongs.
    private mutating func unknownKey(_ node: YAMLNode, _ key: String, at path: KeyPath, keys: [String], what: String) {
        let suggestion = KeyAliases.suggestion(for: key, in: keys, aliases: KeyAliases.keys)
        let canonical = KeyAliases.keys[key] ?? key
        if suggestion == nil, let home = KeyAliases.homes[canonical], home != path.sectionName {
            diagnostics.append(Diagnostic(.misplacedKey(key, canonical: canonical, in: what, belongsUnder: home),
                                          at: node.location, length: node.length, path: path / key))
            return
        }
        diagnostics.append(Diagnostic(.unknownKey(key, in: what, suggesting: suggestion, validKeys: keys),
                                      at: node.location, length: node.length, path: path / key,
                                      standsFor: suggestion.map { path / $0 }))
    }

    private mutating func sequence(_ node: YAMLNode, at path: KeyPath, of what: String) -> [YAMLNode]? {
        guard case .sequence(let items) = node.content else {
            var fix: String?
            if case .mapping = node.content { fix = "make it a list: start each item with '- ' on its own line, or write [...]" }
            report(node, path, .wrongType("a list of \(what)", found: node, fix: fix))
            return nil
        }
        return items
    }

    // MARK: Scalars

    private mutating func scalar(_ node: YAMLNode, at path: KeyPath, expected: String) -> YAMLNode.Scalar? {
        guard case .scalar(let scalar) = node.content else {
            report(node, path, .wrongType(expected, found: node))
            return nil
        }
        return scalar
    }

    mutating func string(_ node: YAMLNode, at path: KeyPath) -> Located<String>? {
        guard let scalar = scalar(node, at: path, expected: "a name") else { return nil }
        if scalar.isPlain && scalar.text.isEmpty {
            report(node, path, .wrongType("a name", found: node))
            return nil
        }
        return Located(scalar.text, at: node.location)
    }

    mutating func boolean(_ node: YAMLNode, at path: KeyPath) -> Located<Bool>? {
        guard let scalar = scalar(node, at: path, expected: "true or false") else { return nil }
        if scalar.isPlain, scalar.text == "true" { return Located(true, at: node.location) }
        if scalar.isPlain, scalar.text == "false" { return Located(false, at: node.location) }
        let lowered = scalar.text.lowercased()
        let meant = ["yes", "on", "y", "true"].contains(lowered) ? true
            : ["no", "off", "n", "false"].contains(lowered) ? false : nil
        report(node, path, .invalidBoolean(found: node, meant: meant))
        return nil
    }

    mutating func number(_ node: YAMLNode, at path: KeyPath) -> Located<Double>? {
        guard let scalar = scalar(node, at: path, expected: "a number") else { return nil }
        guard scalar.isPlain else {
            report(node, path, .invalidNumber("a number", found: node, fix: "remove the quotes"))
            return nil
        }
        guard NumberSyntax.isJSONNumber(scalar.text) else {
            report(node, path, .invalidNumber("a number", found: node,
                                              fix: NumberSyntax.correction(for: scalar.text) ?? "write a decimal number such as 0.5 or -1e-3"))
            return nil
        }
        guard let value = Double(scalar.text), value.isFinite else {
            report(node, path, .numberOverflows(scalar.text))
            return nil
        }
        return Located(value, at: node.location, written: scalar.text)
    }

    mutating func integer(_ node: YAMLNode, at path: KeyPath) -> Located<Int>? {
        guard let scalar = scalar(node, at: path, expected: "a whole number") else { return nil }
        guard scalar.isPlain else {
            report(node, path, .invalidNumber("a whole number", found: node, fix: "remove the quotes"))
            return nil
        }
        guard NumberSyntax.isJSONInteger(scalar.text) else {
            var fix = NumberSyntax.correction(for: scalar.text)
            if fix == nil, NumberSyntax.isJSONNumber(scalar.text), let value = Double(scalar.text),
               value.isFinite, value == value.rounded(), abs(value) < 1e15 {
                fix = "write \(Int(value))"
            }
            report(node, path, .invalidNumber("a whole number", found: node, fix: fix))
            return nil
        }
        guard let value = Int(scalar.text) else {
            report(node, path, .wholeNumberOutOfRange(scalar.text))
            return nil
        }
        return Located(value, at: node.location)
    }

    private mutating func stringList(_ node: YAMLNode, at path: KeyPath, of what: String) -> Located<[Located<String>]>? {
        guard let items = sequence(node, at: path, of: what) else { return nil }
        let names = items.enumerated().compactMap { index, item in string(item, at: path / index) }
        return names.count == items.count ? Located(names, at: node.location) : nil
    }

    private mutating func numberList(_ node: YAMLNode, at path: KeyPath, of what: String) -> Located<[Located<Double>]>? {
        guard let items = sequence(node, at: path, of: what) else { return nil }
        let numbers = items.enumerated().compactMap { index, item in number(item, at: path / index) }
        return numbers.count == items.count ? Located(numbers, at: node.location) : nil
    }

    private mutating func report(_ node: YAMLNode, _ path: KeyPath, _ message: DiagnosticMessage) {
        diagnostics.append(Diagnostic(message, at: node.location, length: node.length, path: path))
    }
}

/// A list item that is not a mapping keeps its place in its list (see `isMapping`).
private extension LayerEntry {
    init(notAMappingAt location: SourceLocation) {
        self.init(location: location)
        isMapping = false
    }
}

private extension SampleEntry {
    init(notAMappingAt location: SourceLocation) {
        self.init(location: location)
        isMapping = false
    }
}

private extension CheckEntry {
    init(notAMappingAt location: SourceLocation) {
        self.init(location: location)
        isMapping = false
    }
}

private extension KeyPath {
    /// The section a mapping at this path is, as `KeyAliases.homes` names sections
    /// (`model.layers[0]` is "each layer of model.layers").
    var sectionName: String {
        if case .index? = components.last, description.hasPrefix("model.layers[") { return "each layer of model.layers" }
        return description
    }
}

extension YAMLNode {
    /// Whether this is a mapping that writes `key`.
    func hasKey(_ key: String) -> Bool {
        if case .mapping(let pairs) = content { return pairs.contains { $0.key.scalarText == key } }
        return false
    }

    /// The text of a scalar (a mapping's key, usually); nil for a list or mapping.
    var scalarText: String? {
        if case .scalar(let scalar) = content { return scalar.text }
        return nil
    }
}
