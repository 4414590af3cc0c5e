import Planning
import Validation

/// `nnrun plan --format json`: the plan as data, for tools that draw or check it
/// (Docs/plan-format.md, Docs/schemas/plan.schema.json). Sizes and offsets count Float64
/// values; the operations are the plan's own lists, in order.
public enum PlanDocument {
    public static let version = 1

    public static func json(_ plan: Plan) -> JSONValue {
        .object([
            ("nnrun_plan", .integer(version)),
            ("name", .string(plan.name)),
            ("inputs", .integer(plan.inputCount)),
            ("outputs", .integer(plan.outputCount)),
            ("samples", .integer(plan.sampleCount)),
            ("validation_samples", .integer(plan.validationCount)),
            ("layers", .array(plan.layers.map(layer))),
            ("parameter_count", .integer(plan.parameterCount)),
            ("activation_count", .integer(plan.activationCount)),
            ("row_capacity", .integer(plan.rowCapacity)),
            ("validation_split", plan.validationSplit.map { split in
                .object([("fraction", .number(split.fraction)),
                         ("seed", split.seed.map { .string(String($0)) } ?? .null),
                         ("held_out", .integer(split.validationIndices.count))])
            } ?? .null),
            ("input_scaling", plan.inputScaling.map { .object([("method", .string($0.method.rawValue))]) } ?? .null),
            ("training", .object([
                ("steps", .integer(plan.training.steps)),
                ("batch_size", .integer(plan.batchSize)),
                ("steps_per_epoch", .integer(plan.stepsPerEpoch)),
                // A string: a 64-bit seed may exceed what a JSON number holds exactly.
                ("shuffle_seed", plan.shuffleSeed.map { .string(String($0)) } ?? .null),
                ("loss", .string(plan.training.loss.rawValue)),
                ("optimizer", .string(plan.training.optimizer.name)),
                ("learning_rate", .number(plan.training.learningRate)),
                ("update", .string(plan.training.update.rawValue)),
                ("schedule", plan.training.schedule.map(schedule) ?? .null),
                ("early_stopping", plan.training.earlyStopping.map { stopping in
                    .object([("monitor", .string(stopping.monitor.rawValue)), ("patience", .integer(stopping.patience)),
                             ("min_delta", .number(stopping.minDelta)), ("restore_best", .bool(stopping.restoreBest))])
                } ?? .null),
            ])),
            ("operations", .object([
                ("evaluation", .array(plan.evaluation.map(operation))),
                ("update", .array(plan.update.map(operation))),
            ])),
            ("memory", .object([
                ("total_bytes", .integer(plan.memory.totalBytes)),
                ("parameter_bytes", .integer(plan.memory.parameterBytes)),
                ("activation_bytes", .integer(plan.memory.activationBytes)),
                ("data_bytes", .integer(plan.memory.dataBytes)),
                ("history_bytes", .integer(plan.memory.historyBytes)),
                ("trace_bytes", .integer(plan.memory.traceBytes)),
                ("kernel_bytes", .integer(plan.memory.kernelBytes)),
                ("result_bytes", .integer(plan.memory.resultBytes)),
            ])),
        ])
    }

    private static func layer(_ layer: LayerPlan) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(layer.name)),
            ("inputs", .integer(layer.inputCount)),
            ("units", .integer(layer.units)),
            ("activation", .string(layer.activation.rawValue)),
        ]
        if layer.activation == .leakyRelu { members.append(("alpha", .number(layer.alpha))) }
        members += [
            ("weights", .object([("offset", .integer(layer.weightOffset)), ("count", .integer(layer.weightCount))])),
            ("bias", .object([("offset", .integer(layer.biasOffset)), ("count", .integer(layer.biasCount)),
                              ("shared", .bool(layer.biasShared)), ("trained", .bool(layer.biasTrained))])),
            ("activation_offset", .integer(layer.activationOffset)),
        ]
        return .object(members)
    }

    private static func operation(_ operation: Plan.Operation) -> JSONValue {
        switch operation {
        case .forward(let l): return .object([("op", .string("forward")), ("layer", .integer(l))])
        case .loss: return .object([("op", .string("loss"))])
        case .delta(let l): return .object([("op", .string("delta")), ("layer", .integer(l))])
        case .gradient(let l): return .object([("op", .string("gradient")), ("layer", .integer(l))])
        case .propagate(let l): return .object([("op", .string("propagate")), ("layer", .integer(l))])
        case .step(let l): return .object([("op", .string("step")), ("layer", .integer(l))])
        }
    }

    /// A schedule as the spec writes it (`Schedule.settings`).
    private static func schedule(_ schedule: ValidatedSpec.Schedule) -> JSONValue {
        .object(schedule.settings.map { key, value in
            switch value {
            case .integer(let integer): (key, .integer(integer))
            case .number(let number): (key, .number(number))
            case .word(let word): (key, .string(word))
            }
        })
    }
}
