import Spec
import Validation

/// Turns a validated spec into a `Plan`: lays out the buffers and orders the operations.
public enum Planner {
    public static func plan(_ spec: ValidatedSpec) -> Plan {
        var layers: [LayerPlan] = []
        var parameters: [Double] = []
        var activationOffset = 0
        let sampleCount = spec.samples.count
        for layer in spec.layers {
            let weightOffset = parameters.count
            for row in layer.weights { parameters.append(contentsOf: row) }
            let biasOffset = parameters.count
            let biasCount: Int
            switch layer.bias {
            case .none: biasCount = 0
            case .shared(let value): biasCount = 1; parameters.append(value)
            case .perUnit(let values): biasCount = values.count; parameters.append(contentsOf: values)
            }
            let shared: Bool
            if case .shared = layer.bias { shared = true } else { shared = false }
            layers.append(LayerPlan(
                name: layer.name, inputCount: layer.inputCount, units: layer.units, activation: layer.activation,
                weightOffset: weightOffset, biasOffset: biasOffset, biasCount: biasCount,
                biasTrained: spec.training.trainBiases && biasCount > 0, activationOffset: activationOffset,
                location: layer.location, biasShared: shared))
            activationOffset += sampleCount * layer.units
        }

        let historySteps = recordedSteps(steps: spec.training.steps, every: spec.record.every)
        let traceBytesPerStep = 8 * (5 * activationOffset + 2 * parameters.count + sampleCount * (1 + spec.outputCount))
        let memory = MemoryEstimate(
            parameterBytes: 8 * 2 * parameters.count,
            activationBytes: 8 * 5 * activationOffset,
            dataBytes: 8 * sampleCount * (spec.inputCount + spec.outputCount),
            historyBytes: 16 * historySteps.count,
            traceBytes: traceBytesPerStep * spec.record.traceSteps.count)

        return Plan(
            name: spec.name, layers: layers, sampleCount: sampleCount, inputCount: spec.inputCount,
            outputCount: spec.outputCount, parameterCount: parameters.count, activationCount: activationOffset,
            initialParameters: parameters,
            inputs: spec.samples.flatMap(\.inputs), targets: spec.samples.flatMap(\.targets),
            training: spec.training, record: spec.record,
            evaluation: layers.indices.map { .forward(layer: $0) } + [.loss],
            update: updateOperations(layerCount: layers.count, order: spec.training.update),
            historySteps: historySteps, memory: memory)
    }

    /// The backward pass and the update, in the order `update` prescribes.
    ///
    /// deferred:  delta(L), gradient(L), propagate(L), delta(L-1), ..., gradient(1), step(1...L)
    /// immediate: delta(L), gradient(L), step(L), propagate(L), delta(L-1), ..., gradient(1), step(1)
    ///
    /// `propagate(l)` reads layer l's weights as they are at that moment, which is the
    /// whole difference between the two orders.
    static func updateOperations(layerCount: Int, order: UpdateOrder) -> [Plan.Operation] {
        var operations: [Plan.Operation] = []
        for layer in stride(from: layerCount - 1, through: 0, by: -1) {
            operations.append(.delta(layer: layer))
            operations.append(.gradient(layer: layer))
            if order == .immediate { operations.append(.step(layer: layer)) }
            if layer > 0 { operations.append(.propagate(layer: layer)) }
        }
        if order == .deferred {
            operations += (0..<layerCount).map { .step(layer: $0) }
        }
        return operations
    }

    /// 0, every `every` steps, and always the last step.
    static func recordedSteps(steps: Int, every: Int) -> [Int] {
        var recorded = Array(stride(from: 0, through: steps, by: every))
        if recorded.last != steps { recorded.append(steps) }
        return recorded
    }
}
