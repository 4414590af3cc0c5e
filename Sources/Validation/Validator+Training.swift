import Diagnostics
import Spec

/// The training and record sections, and the rules that tie the loss to the output layer.
extension Validator {
    mutating func loss(_ spec: Spec) -> Loss? {
        guard let section = spec.training else { return nil }
        return resolve(section.loss, Loss.self, "loss", in: .root / "training", at: section.location,
                       what: "loss", .unknownLoss, required: true)
    }

    /// cross_entropy needs a softmax output layer and softmax needs cross_entropy;
    /// binary_cross_entropy needs sigmoid outputs (SPEC-DECISIONS).
    mutating func checkLossAndOutput(_ spec: Spec, loss: Loss?) {
        // Read from the spec as written, so the rule is checked even when a layer has other errors.
        guard let loss, let lossEntry = spec.training?.loss, let last = spec.model?.layers?.value.last,
              let activation = last.activation.flatMap({ Activation(rawValue: $0.value) })
        else { return }
        let output = (name: last.name?.value ?? "the last layer", activation: activation)
        let path = KeyPath.root / "training" / "loss"
        switch (loss, output.activation) {
        case (.crossEntropy, let activation) where activation != .softmax:
            error(at: lossEntry.location, length: lossEntry.value.count, path,
                  .lossNeedsOutput(loss: "cross_entropy", activation: "softmax", found: activation.rawValue, layer: output.name))
        case (let loss, .softmax) where loss != .crossEntropy:
            error(at: lossEntry.location, length: lossEntry.value.count, path,
                  .softmaxNeedsCrossEntropy(found: loss.rawValue, layer: output.name))
        case (.binaryCrossEntropy, let activation) where activation != .sigmoid:
            error(at: lossEntry.location, length: lossEntry.value.count, path,
                  .lossNeedsOutput(loss: "binary_cross_entropy", activation: "sigmoid", found: activation.rawValue, layer: output.name))
        default:
            break
        }
    }

    mutating func training(_ spec: Spec, loss: Loss?, sampleCount: Int?) -> ValidatedSpec.Training? {
        let example = "training: {loss: half_squared_error, learning_rate: 0.5, steps: 100}"
        guard let section = spec.training else {
            missing("training", in: .root, at: spec.location, example: example)
            return nil
        }
        let path = KeyPath.root / "training"
        let optimizer = section.optimizer.map { self.optimizer($0, at: path / "optimizer") } ?? .plainSGD
        let update = resolve(section.update, UpdateOrder.self, "update", in: path, at: section.location,
                             what: "update order", .unknownUpdateOrder, required: false) ?? (section.update == nil ? .deferred : nil)
        let batch = self.batch(section, at: path / "batch", sampleCount: sampleCount)
        var learningRate: Double?
        if let rate = require(section.learningRate, "learning_rate", in: path, at: section.location,
                              example: "learning_rate: 0.5") {
            if rate.value > 0 {
                learningRate = rate.value
            } else {
                error(at: rate.location, path / "learning_rate", .nonPositiveLearningRate(rate))
            }
        }
        let (steps, epochs) = self.steps(section, at: path, batch: batch, sampleCount: sampleCount)
        var shuffle: ValidatedSpec.Shuffle?
        if let entry = section.shuffle {
            if let seed = entry.seed, seed.value < 0 {
                error(at: seed.location, path / "shuffle" / "seed", .negativeSeed(seed.value))
            } else if entry.seed == nil && spec.seed == nil {
                error(at: entry.location, path / "shuffle" / "seed", .missingShuffleSeed)
            }
            shuffle = ValidatedSpec.Shuffle(seed: entry.seed.flatMap { $0.value >= 0 ? UInt64($0.value) : nil })
        }
        let trainBiases = section.trainBiases?.value ?? true
        let schedule = section.schedule.map { self.schedule($0, at: path / "schedule") }
        guard let loss, let optimizer, let batch, let update, let learningRate, let steps else { return nil }
        if case .some(nil) = schedule { return nil }    // a schedule with errors
        return .init(loss: loss, optimizer: optimizer, learningRate: learningRate, steps: steps, epochs: epochs,
                     trainBiases: trainBiases, batch: batch, shuffle: shuffle, update: update, schedule: schedule ?? nil)
    }

    /// Exactly one of `steps` and `epochs`; epochs become steps: epochs x ceil(samples / batch).
    private mutating func steps(_ section: TrainingSection, at path: KeyPath, batch: ValidatedSpec.Batch?,
                                sampleCount: Int?) -> (steps: Int?, epochs: Int?) {
        switch (section.steps, section.epochs) {
        case (nil, nil):
            if alreadyReported(path / "steps") || alreadyReported(path / "epochs") { return (nil, nil) }
            error(at: section.location, path / "steps", .missingStepsOrEpochs)
            return (nil, nil)
        case (let steps?, let epochs?):
            error(at: epochs.location, path / "epochs", .stepsAndEpochs(stepsLine: steps.location.line))
            return (nil, nil)
        case (let steps?, nil):
            guard steps.value >= 1 else {
                error(at: steps.location, path / "steps", .tooFewSteps(steps.value))
                return (nil, nil)
            }
            return (steps.value, nil)
        case (nil, let epochs?):
            guard epochs.value >= 1 else {
                error(at: epochs.location, path / "epochs", .tooFewEpochs(epochs.value))
                return (nil, nil)
            }
            guard let batch, let sampleCount else { return (nil, nil) }
            let size = batch.size(of: sampleCount)
            let perEpoch = (sampleCount + size - 1) / size
            let (steps, overflow) = epochs.value.multipliedReportingOverflow(by: perEpoch)
            if overflow {
                error(at: epochs.location, path / "epochs", .tooManyEpochSteps(epochs: epochs.value, perEpoch: perEpoch))
                return (nil, nil)
            }
            return (steps, epochs.value)
        }
    }

    private mutating func batch(_ section: TrainingSection, at path: KeyPath, sampleCount: Int?) -> ValidatedSpec.Batch? {
        guard let entry = section.batch else { return .full }
        switch entry.value {
        case .name(let text):
            let name = resolve(Located(text, at: entry.location), BatchName.self, "batch", in: .root / "training",
                               at: entry.location, what: "batch", .unknownBatch, required: false)
            switch name {
            case .full: return .full
            case .online: return .online
            case nil: return nil
            }
        case .size(let size):
            if size < 1 {
                error(at: entry.location, path, .batchTooSmall(size))
                return nil
            }
            if let sampleCount, size > sampleCount {
                error(at: entry.location, path, .batchTooLarge(size, samples: sampleCount))
                return nil
            }
            return .size(size)
        }
    }

    /// `optimizer: sgd` or a mapping with the optimizer's own settings (torch.optim's defaults).
    private mutating func optimizer(_ entry: OptimizerEntry, at path: KeyPath) -> ValidatedSpec.Optimizer? {
        // `optimizer: NAME` is reported at training.optimizer, a mapping's name at training.optimizer.name.
        let isPlainName = entry.name?.location == entry.location
        guard let name = resolve(entry.name, OptimizerName.self, isPlainName ? "optimizer" : "name",
                                 in: isPlainName ? .root / "training" : path, at: entry.location,
                                 what: "optimizer", .unknownOptimizer, required: true) else { return nil }
        let owned: [(String, SourceLocation?, [OptimizerName])] = [
            ("momentum", entry.momentum?.location, [.sgd, .rmsprop]), ("nesterov", entry.nesterov?.location, [.sgd]),
            ("beta1", entry.beta1?.location, [.adam, .adamw]), ("beta2", entry.beta2?.location, [.adam, .adamw]),
            ("epsilon", entry.epsilon?.location, [.adam, .adamw, .rmsprop]),
            ("alpha", entry.alpha?.location, [.rmsprop]), ("centered", entry.centered?.location, [.rmsprop]),
        ]
        var valid = true
        for (key, location, owners) in owned {
            if let location, !owners.contains(name) {
                error(at: location, path / key, .optimizerSetting(key, owners: owners.map(\.rawValue), found: name.rawValue))
                valid = false
            }
        }
        func check(_ value: Located<Double>?, _ key: String, _ range: String, _ isValid: (Double) -> Bool) -> Double? {
            guard let value else { return nil }
            if isValid(value.value) { return value.value }
            error(at: value.location, path / key, .optimizerSettingRange(key, range, found: value))
            valid = false
            return nil
        }
        let weightDecay = check(entry.weightDecay, "weight_decay", ">= 0") { $0 >= 0 } ?? 0
        switch name {
        case .sgd:
            let momentum = check(entry.momentum, "momentum", ">= 0") { $0 >= 0 } ?? 0
            let nesterov = entry.nesterov?.value ?? false
            if nesterov && momentum == 0, let location = entry.nesterov?.location {
                error(at: location, path / "nesterov", .nesterovWithoutMomentum)
                valid = false
            }
            return valid ? .sgd(momentum: momentum, nesterov: nesterov, weightDecay: weightDecay) : nil
        case .adam:
            let beta1 = check(entry.beta1, "beta1", "in [0, 1)") { $0 >= 0 && $0 < 1 } ?? 0.9
            let beta2 = check(entry.beta2, "beta2", "in [0, 1)") { $0 >= 0 && $0 < 1 } ?? 0.999
            let epsilon = check(entry.epsilon, "epsilon", ">= 0") { $0 >= 0 } ?? 1e-8
            return valid ? .adam(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay) : nil
        case .adamw:
            // torch.optim.AdamW's defaults, weight_decay 0.01 among them.
            let beta1 = check(entry.beta1, "beta1", "in [0, 1)") { $0 >= 0 && $0 < 1 } ?? 0.9
            let beta2 = check(entry.beta2, "beta2", "in [0, 1)") { $0 >= 0 && $0 < 1 } ?? 0.999
            let epsilon = check(entry.epsilon, "epsilon", ">= 0") { $0 >= 0 } ?? 1e-8
            let decay = entry.weightDecay == nil ? 0.01 : weightDecay
            return valid ? .adamw(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: decay) : nil
        case .rmsprop:
            // torch.optim.RMSprop's defaults. epsilon > 0: with 0, a parameter whose
            // gradients were all 0 would divide 0 by 0.
            let alpha = check(entry.alpha, "alpha", "in [0, 1)") { $0 >= 0 && $0 < 1 } ?? 0.99
            let epsilon = check(entry.epsilon, "epsilon", "> 0") { $0 > 0 } ?? 1e-8
            let momentum = check(entry.momentum, "momentum", ">= 0") { $0 >= 0 } ?? 0
            let centered = entry.centered?.value ?? false
            return valid ? .rmsprop(alpha: alpha, epsilon: epsilon, momentum: momentum, centered: centered,
                                    weightDecay: weightDecay) : nil
        }
    }

    /// `stepsPerEpoch` resolves `every: epoch` (nil when the data or batch has errors).
    mutating func record(_ spec: Spec, steps: Int?, stepsPerEpoch: Int?) -> ValidatedSpec.Record? {
        let path = KeyPath.root / "record"
        var every = 1
        var valid = true
        var givenEvery: Located<Int>?
        if let written = spec.record?.every {
            switch written.value {
            case .steps(let count): givenEvery = Located(count, at: written.location)
            case .epoch:
                if let stepsPerEpoch { givenEvery = Located(stepsPerEpoch, at: written.location) } else { valid = false }
            }
        }
        if let given = givenEvery {
            if given.value < 1 {
                error(at: given.location, path / "every", .recordEveryTooSmall(given.value))
                valid = false
            } else {
                every = given.value
            }
            if let steps, given.value >= 1, steps / given.value > Limits.maxHistoryPoints - 2 {
                let needed = steps / (Limits.maxHistoryPoints - 2) + 1
                error(at: given.location, path / "every",
                      .recordEveryKeepsTooMuch(every: given.value, steps: steps, limit: Limits.maxHistoryPoints, needed: needed))
                valid = false
            }
        } else if let steps, steps > Limits.maxHistoryPoints - 2 {
            let needed = steps / (Limits.maxHistoryPoints - 2) + 1
            error(at: spec.record?.location ?? spec.training?.steps?.location ?? spec.location, path / "every",
                  .recordingKeepsTooMuch(steps: steps, limit: Limits.maxHistoryPoints, needed: needed))
            valid = false
        }
        var traceSteps: [Int] = []
        if let trace = spec.record?.trace {
            if trace.value.count > Limits.maxTraceSteps {
                error(at: trace.location, path / "trace", .tooManyTraceSteps(trace.value.count, limit: Limits.maxTraceSteps))
                valid = false
            }
            var seen: Set<Int> = []
            for (index, step) in trace.value.enumerated() {
                if step.value < 1 || (steps.map { step.value > $0 } ?? false) {
                    error(at: step.location, path / "trace" / index, .traceStepNeverReached(step.value, steps: steps))
                    valid = false
                } else if !seen.insert(step.value).inserted {
                    error(at: step.location, path / "trace" / index, .traceStepTwice(step.value))
                    valid = false
                }
            }
            traceSteps = seen.sorted()
        }
        return valid ? .init(every: every, traceSteps: traceSteps) : nil
    }
}
