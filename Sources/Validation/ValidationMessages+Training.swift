import Diagnostics
import Spec

/// The catalogue of messages for the training and record sections (IDs NN5xxx).
extension DiagnosticMessage {
    static func lossNeedsOutput(loss: String, activation: String, found: String, layer: String) -> Self {
        .init(.lossOutputMismatch, "\(loss) needs a \(activation) output layer, found activation \(found) on '\(layer)'",
              fix: "set 'activation: \(activation)' on the output layer '\(layer)'")
    }

    static func softmaxNeedsCrossEntropy(found loss: String, layer: String) -> Self {
        .init(.lossOutputMismatch, "a softmax output layer needs loss cross_entropy, found \(loss)",
              fix: "write 'loss: cross_entropy', or use another activation on '\(layer)'")
    }

    static func nonPositiveLearningRate(_ found: Located<Double>) -> Self {
        .init(.nonPositiveLearningRate, "expected a positive learning rate, found \(SpecMessages.number(found))",
              fix: "write a positive number such as 0.1 (each step subtracts learning_rate times the gradient)")
    }

    static var missingShuffleSeed: Self {
        .init(.missingSeed, "missing seed: shuffling needs one to be reproducible",
              fix: "write 'shuffle: {seed: 1}', or add a spec-level 'seed: 1'")
    }

    static var missingStepsOrEpochs: Self {
        .init(.stepsOrEpochs, "missing 'steps' or 'epochs' in training",
              fix: "add 'steps: 1000' (parameter updates) or 'epochs: 10' (passes over the data)")
    }

    static func stepsAndEpochs(stepsLine: Int) -> Self {
        .init(.stepsOrEpochs, "give either 'steps' or 'epochs', not both (steps is at line \(stepsLine))",
              fix: "remove one of them")
    }

    static func tooFewSteps(_ found: Int) -> Self {
        .init(.stepCount, "expected at least 1 step, found \(found)",
              fix: "steps counts parameter updates; write a whole number of 1 or more")
    }

    static func tooFewEpochs(_ found: Int) -> Self {
        .init(.stepCount, "expected at least 1 epoch, found \(found)", fix: "write a whole number of 1 or more")
    }

    static func tooManyEpochSteps(epochs: Int, perEpoch: Int) -> Self {
        .init(.stepCount, "\(epochs) epochs of \(perEpoch) steps is too many steps", fix: "train for fewer epochs")
    }

    static func batchTooSmall(_ found: Int) -> Self {
        .init(.batchSize, "expected a batch size of 1 or more, found \(found)",
              fix: "write a whole number of samples per step, or 'full' or 'online'")
    }

    static func batchTooLarge(_ size: Int, samples: Int) -> Self {
        .init(.batchSize, "batch size \(size) is larger than the \(SpecMessages.count(samples, "training sample"))",
              fix: "use at most \(samples), or 'full'")
    }

    static func optimizerSetting(_ key: String, owners: [String], found: String) -> Self {
        let owner = owners.count == 1 ? "optimizer \(owners[0])"
            : "optimizers " + owners.dropLast().joined(separator: ", ") + " and " + (owners.last ?? "")
        return .init(.optimizerSetting, "'\(key)' applies only to \(owner), found it with \(found)", fix: "remove '\(key)'")
    }

    static func optimizerSettingRange(_ key: String, _ range: String, found: Located<Double>) -> Self {
        .init(.optimizerSetting, "expected \(key) \(range), found \(SpecMessages.number(found))",
              fix: "write \(key) \(range), or leave it out for torch's default")
    }

    static var nesterovWithoutMomentum: Self {
        .init(.optimizerSetting, "nesterov needs a momentum above 0", fix: "add 'momentum: 0.9', or remove 'nesterov'")
    }

    static func recordEveryTooSmall(_ found: Int) -> Self {
        .init(.recordEvery, "expected a whole number of steps of 1 or more, found \(found)", fix: "write 'every: 1' or more")
    }

    static func recordEveryKeepsTooMuch(every: Int, steps: Int, limit: Int, needed: Int) -> Self {
        .init(.recordEvery, "recording every \(every) steps of \(steps) keeps more than \(limit) loss values",
              fix: "set record.every to \(needed) or more")
    }

    static func recordingKeepsTooMuch(steps: Int, limit: Int, needed: Int) -> Self {
        .init(.recordEvery, "recording the loss after each of \(steps) steps keeps more than \(limit) values",
              fix: "add 'record: {every: \(needed)}' or more")
    }

    static func tooManyTraceSteps(_ found: Int, limit: Int) -> Self {
        .init(.traceSteps, "at most \(limit) steps can be traced, found \(found)", fix: "trace at most \(limit) steps")
    }

    static func traceStepNeverReached(_ step: Int, steps: Int?) -> Self {
        let range = steps.map { "between 1 and \($0) (training.steps)" } ?? "of 1 or more"
        return .init(.traceSteps, "step \(step) is never reached; expected a step number \(range)",
                     fix: step < 1 ? "step 1 is the first update; step 0 has no backward pass to trace" : nil)
    }

    static func traceStepTwice(_ step: Int) -> Self {
        .init(.traceSteps, "step \(step) is listed twice", fix: "list each step once")
    }
}

/// The catalogue of messages for learning-rate schedules (IDs NN5100...).
extension DiagnosticMessage {
    static func scheduleSetting(_ key: String, owners: [String], found: String) -> Self {
        let owner = owners.count == 1 ? "schedule \(owners[0])"
            : "schedules " + owners.dropLast().joined(separator: ", ") + " and " + (owners.last ?? "")
        return .init(.scheduleSetting, "'\(key)' applies only to \(owner), found it with \(found)", fix: "remove '\(key)'")
    }

    static func scheduleSettingRange(_ key: String, _ range: String, found: String) -> Self {
        .init(.scheduleSetting, "expected \(key) \(range), found \(found)")
    }
}
