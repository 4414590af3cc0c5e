import CKernels
import Spec
import Validation

/// Turns a validated spec into a `Plan`: lays out the buffers and orders the operations.
public enum Planner {
    public static func plan(_ spec: ValidatedSpec) -> Plan {
        var layers: [LayerPlan] = []
        var parameters: [Double] = []
        var activationOffset = 0
        let sampleCount = spec.samples.count
        let batchSize = spec.training.batch.size(of: sampleCount)
        let rowCapacity = rowCapacity(samples: sampleCount, validationSamples: spec.validationSamples.count, batchSize: batchSize)
        for (index, layer) in spec.layers.enumerated() {
            let weightOffset = parameters.count
            for row in initialWeights(layer, index: index, specSeed: spec.seed) { parameters.append(contentsOf: row) }
            let biasOffset = parameters.count
            let biasCount: Int
            switch layer.bias {
            case .none: biasCount = 0
            case .shared(let value): biasCount = 1; parameters.append(value)
            case .perUnit(let values): biasCount = values.count; parameters.append(contentsOf: values)
            case .drawn(let initializer, let seed):
                biasCount = layer.units
                let seed = seed ?? SeedDerivation.bias(index, specSeed: spec.seed ?? 0)
                parameters.append(contentsOf: Initialization.biases(initializer, units: layer.units, seed: seed))
            }
            let shared: Bool
            if case .shared = layer.bias { shared = true } else { shared = false }
            layers.append(LayerPlan(
                name: layer.name, inputCount: layer.inputCount, units: layer.units, activation: layer.activation,
                alpha: layer.alpha, weightOffset: weightOffset, biasOffset: biasOffset, biasCount: biasCount,
                biasTrained: spec.training.trainBiases && biasCount > 0, activationOffset: activationOffset,
                location: layer.location, biasShared: shared))
            activationOffset += rowCapacity * layer.units
        }

        let validationCount = spec.validationSamples.count
        let (historySteps, record) = schedule(spec)
        let memory = estimate(spec, historySteps: historySteps.count, traceSteps: record.traceSteps.count)

        var shuffleSeed: UInt64?
        if let shuffle = spec.training.shuffle {
            shuffleSeed = shuffle.seed ?? spec.seed.map(SeedDerivation.shuffle(specSeed:)) ?? 0
        }

        return Plan(
            name: spec.name, layers: layers, sampleCount: sampleCount, validationCount: validationCount,
            inputCount: spec.inputCount, outputCount: spec.outputCount, rowCapacity: rowCapacity,
            batchSize: batchSize, stepsPerEpoch: (sampleCount + batchSize - 1) / batchSize, shuffleSeed: shuffleSeed,
            parameterCount: parameters.count, kernelScratchCount: kernelScratchCount(spec, rows: rowCapacity),
            activationCount: activationOffset,
            initialParameters: parameters,
            inputs: SampleMatrix(rows: sampleCount, columns: spec.inputCount) { spec.samples[$0].inputs },
            targets: SampleMatrix(rows: sampleCount, columns: spec.outputCount) { spec.samples[$0].targets },
            validationInputs: SampleMatrix(rows: validationCount, columns: spec.inputCount) { spec.validationSamples[$0].inputs },
            validationTargets: SampleMatrix(rows: validationCount, columns: spec.outputCount) { spec.validationSamples[$0].targets },
            training: spec.training, record: record,
            evaluation: layers.indices.map { .forward(layer: $0) } + [.loss],
            update: updateOperations(layerCount: layers.count, order: spec.training.update),
            historySteps: historySteps, memory: memory,
            validationSplit: spec.validationSplit, inputScaling: spec.inputScaling)
    }

    /// Which steps are recorded in the history and which are traced: the spec's own,
    /// plus the steps its expectations check (loss and metrics in the history, the rest
    /// from the trace).
    static func schedule(_ spec: ValidatedSpec) -> (historySteps: [Int], record: ValidatedSpec.Record) {
        let checked = spec.expectations.filter { $0.step > 0 && $0.step < spec.training.steps }
        let recorded = recordedSteps(steps: spec.training.steps, every: spec.record.every)
        let checkedSteps = checked.filter { !$0.quantity.needsTrace }.map(\.step).sorted()
        let historySteps = ascendingUnion(recorded, checkedSteps)
        var record = spec.record
        let traced = spec.expectations.filter { expectation in
            guard expectation.quantity.needsTrace, expectation.step > 0 else { return false }
            switch expectation.quantity {
            case .trace, .sampleLosses, .outputLosses: return true
            default: break
            }
            return expectation.step < spec.training.steps   // final parameters are in the results anyway
        }
        record.traceSteps = Array(Set(record.traceSteps + traced.map(\.step))).sorted()
        return (historySteps, record)
    }

    /// The bytes a run of `spec` will hold, from the shapes alone: nothing is drawn or
    /// allocated, so a spec can be refused before its memory is taken (`--max-memory`).
    /// Products saturate instead of overflowing.
    public static func estimate(_ spec: ValidatedSpec) -> MemoryEstimate {
        let (historySteps, record) = schedule(spec)
        return estimate(spec, historySteps: historySteps.count, traceSteps: record.traceSteps.count)
    }

    /// The estimate for a schedule already worked out.
    static func estimate(_ spec: ValidatedSpec, historySteps: Int, traceSteps: Int) -> MemoryEstimate {
        func times(_ values: Int...) -> Int {
            values.reduce(1) { product, value in
                let (result, overflow) = product.multipliedReportingOverflow(by: value)
                return overflow ? Int.max : result
            }
        }
        func plus(_ values: Int...) -> Int {
            values.reduce(0) { sum, value in
                let (result, overflow) = sum.addingReportingOverflow(value)
                return overflow ? Int.max : result
            }
        }
        let sampleCount = spec.samples.count, validationCount = spec.validationSamples.count
        let batchSize = spec.training.batch.size(of: sampleCount)
        let rows = rowCapacity(samples: sampleCount, validationSamples: validationCount, batchSize: batchSize)
        var parameters = 0, units = 0
        for layer in spec.layers {
            let biasCount: Int
            switch layer.bias {
            case .none: biasCount = 0
            case .shared: biasCount = 1
            case .perUnit(let values): biasCount = values.count
            case .drawn: biasCount = layer.units
            }
            parameters = plus(parameters, times(layer.units, layer.inputCount), biasCount)
            units = plus(units, layer.units)
        }
        let activations = times(rows, units)
        let optimizerBuffers: Int
        switch spec.training.optimizer {
        case .sgd(let momentum, _, _): optimizerBuffers = momentum == 0 ? 0 : 1
        case .adam, .adamw: optimizerBuffers = 2
        case .rmsprop(_, _, let momentum, let centered, _): optimizerBuffers = 1 + (momentum == 0 ? 0 : 1) + (centered ? 1 : 0)
        }
        // Per recorded point: step, loss, and accuracy / validation loss / validation accuracy when defined.
        let historyColumns = 2 + (spec.training.loss.isClassification ? 1 : 0)
            + (validationCount > 0 ? (spec.training.loss.isClassification ? 2 : 1) : 0)
        let traceBytesPerStep = times(8, plus(times(5, activations), times(2, parameters), times(batchSize, 2 + spec.outputCount)))
        let kernelScratch = kernelScratchCount(spec, rows: rows)
        return MemoryEstimate(
            parameterBytes: times(8, 2 + optimizerBuffers, parameters),
            activationBytes: times(8, 5, activations),
            dataBytes: plus(times(8, plus(sampleCount, batchSize, validationCount), spec.inputCount + spec.outputCount),
                            times(8, sampleCount, spec.outputCount)),
            historyBytes: times(8, historyColumns, historySteps),
            traceBytes: times(traceBytesPerStep, traceSteps),
            kernelBytes: times(8, kernelThreads, kernelScratch),
            resultBytes: times(8, plus(times(3, parameters), times(2, sampleCount, spec.outputCount))))
    }

    /// Rows of every activation block: a step's batch, and at most `evaluationRows` of a data
    /// set at a time when the network is evaluated on it (`Plan.rowCapacity`).
    static func rowCapacity(samples: Int, validationSamples: Int, batchSize: Int) -> Int {
        max(batchSize, min(max(samples, validationSamples), evaluationRows))
    }

    /// Rows an evaluation pass takes at once. Enough for the matrix products to run at full
    /// speed (measured: Docs/performance.md); few enough that the activations of a large
    /// data set are not all held at once (8,192 MNIST-sized rows would take 323 MiB).
    public static let evaluationRows = 512

    /// Threads the matrix kernels may use; each packs its operands into its own scratch.
    public static let kernelThreads = 2

    /// Doubles of packing scratch per kernel thread: none when every product (rows x units
    /// x inputs, the same for a layer's forward, gradient and propagate products) is small
    /// enough for the plain loops.
    static func kernelScratchCount(_ spec: ValidatedSpec, rows: Int) -> Int {
        let packed = spec.layers.contains { layer in
            let (product, overflow) = rows.multipliedReportingOverflow(by: layer.units)
            return overflow || product.multipliedReportingOverflow(by: layer.inputCount).overflow
                || product * layer.inputCount >= Int(NN_GEMM_SMALL_PRODUCT)
        }
        return packed ? Int(nn_gemm_scratch_count()) : 0
    }

    /// Listed weights, or weights drawn with the layer's seed (or one derived from the spec's).
    static func initialWeights(_ layer: ValidatedSpec.Layer, index: Int, specSeed: UInt64?) -> [[Double]] {
        switch layer.weights {
        case .listed(let rows):
            return rows
        case .drawn(let initializer, let seed):
            let seed = seed ?? SeedDerivation.layer(index, specSeed: specSeed ?? 0)
            return Initialization.weights(initializer, units: layer.units, inputs: layer.inputCount, seed: seed)
        }
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

    /// The union of two ascending lists, ascending and without repeats: a merge, linear in the
    /// lengths (a recorded history can have millions of steps). `a` (the recorded steps) is
    /// strictly ascending, so it is the union itself when `b` is empty, the usual case (no
    /// checked steps); `b` may repeat a step two checks look at.
    static func ascendingUnion(_ a: [Int], _ b: [Int]) -> [Int] {
        if b.isEmpty { return a }
        var union: [Int] = []
        union.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            let next = j == b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
            if union.last != next { union.append(next) }
            if i < a.count && a[i] == next { i += 1 }
            if j < b.count && b[j] == next { j += 1 }
        }
        return union
    }

    /// 0, every `every` steps, and always the last step.
    static func recordedSteps(steps: Int, every: Int) -> [Int] {
        // A plain loop: `Array(stride(...))` cost about 75 instructions a step through the
        // generic sequence copy, a measurable share of a short run's start (10,001 steps for w1).
        let every = max(every, 1)   // Validation refuses less than 1; this keeps the loop finite whatever it is given
        var recorded: [Int] = []
        recorded.reserveCapacity(max(steps, 0) / every + 2)
        var step = 0
        while step <= steps {
            recorded.append(step)
            let (next, overflow) = step.addingReportingOverflow(every)
            if overflow { break }
            step = next
        }
        if recorded.last != steps { recorded.append(steps) }
        return recorded
    }
}
