import Planning
import Spec
import Validation

/// Every buffer a run uses, allocated once from the plan's sizes and freed when the
/// run ends. The step loop only reads and writes these.
///
/// The plan's layers and operations are copied into unsafe buffers too: iterating a
/// Swift array of enums through the unspecialized generic path (debug builds) allocates
/// on every element, and the step loop must not allocate at all. Layers are copied as
/// `LayerShape`s, which hold no references, so reading one costs no reference counting;
/// the per-step scalars live behind a pointer (`StepState`), so reading and writing them
/// costs no dynamic exclusivity check.
final class Workspace {
    let layers: UnsafeMutableBufferPointer<LayerShape>
    let evaluation: UnsafeMutableBufferPointer<Plan.Operation>
    /// Multiply-adds of one row's evaluation and of one row's update (`Plan.evaluationMultiplyAdds`,
    /// `Plan.updateMultiplyAdds`).
    let evaluationMultiplyAdds: Int
    let updateMultiplyAdds: Int
    /// Whether the update is `deferred` (every gradient before any step).
    let deferredUpdate: Bool
    /// Where the second thread's parameters start when two threads share a deferred update
    /// (`parameterSplit(_:)`).
    let parameterSplit: Int
    let update: UnsafeMutableBufferPointer<Plan.Operation>
    /// The parameters each layer's `.step` updates (`updateRanges`).
    let updateRanges: UnsafeMutableBufferPointer<Range<Int>>
    let lossFunction: Loss
    /// Whether the loss reports accuracy (`Loss.isClassification`, read once).
    let classification: Bool
    let optimizer: ValidatedSpec.Optimizer

    let parameters: UnsafeMutableBufferPointer<Double>   // plan.parameterCount
    let gradients: UnsafeMutableBufferPointer<Double>    // plan.parameterCount
    /// SGD's and RMSprop's momentum buffer, or Adam's first moment; same layout as parameters.
    let firstMoment: UnsafeMutableBufferPointer<Double>
    /// Adam's second moment, or RMSprop's mean square; same layout as parameters.
    let secondMoment: UnsafeMutableBufferPointer<Double>
    /// Centered RMSprop's mean gradient; same layout as parameters (1 element otherwise).
    let gradientAverage: UnsafeMutableBufferPointer<Double>
    let net: UnsafeMutableBufferPointer<Double>          // plan.activationCount: per layer (rows, units)
    let out: UnsafeMutableBufferPointer<Double>          // same layout as net
    let dOut: UnsafeMutableBufferPointer<Double>         // dE/dout, same layout
    let slope: UnsafeMutableBufferPointer<Double>        // dout/dnet, same layout
    let delta: UnsafeMutableBufferPointer<Double>        // dE/dnet, same layout
    // The data: the plan's own blocks, shared, not copied (see `SampleMatrix`).
    let data: [SampleMatrix]
    let inputs: UnsafeMutableBufferPointer<Double>       // (samples, inputs)
    let targets: UnsafeMutableBufferPointer<Double>      // (samples, outputs)
    let batchInputs: UnsafeMutableBufferPointer<Double>  // (batch size, inputs)
    let batchTargets: UnsafeMutableBufferPointer<Double> // (batch size, outputs)
    let validationInputs: UnsafeMutableBufferPointer<Double>
    let validationTargets: UnsafeMutableBufferPointer<Double>
    /// The output layer's out for every training sample, gathered by the last evaluation
    /// of the training set (which may have gone through it in several passes).
    let trainingOutputs: UnsafeMutableBufferPointer<Double> // (samples, outputs)
    let sampleLoss: UnsafeMutableBufferPointer<Double>   // (rows)
    /// Each row's sum_j e^(z_j - max z) from a softmax output layer's forward pass.
    let softmaxSums: UnsafeMutableBufferPointer<Double>  // (rows)
    let outputTerms: UnsafeMutableBufferPointer<Double>  // (rows, outputs): each output's loss term
    /// The sample order of the current epoch (indices into the training set).
    let order: UnsafeMutableBufferPointer<Int>
    /// Training-set index of each row of the current batch.
    let batchIndices: UnsafeMutableBufferPointer<Int>

    /// Packing scratch: `kernelScratchCount` doubles per kernel thread; nil when the
    /// plan's products are all small enough for the plain loops.
    let kernelScratch: UnsafeMutablePointer<Double>?
    let kernelScratchCount: Int
    let kernels: KernelOptions
    /// The second thread, for products and updates large enough to split.
    let team = Team()
    /// The small-network path: the evaluation and update operations in one C call each (nil:
    /// the plan has something it does not cover).
    let denseStep: DenseStep?

    let sampleCount: Int
    let validationCount: Int
    /// Rows of each activation block (`Plan.rowCapacity`): the most one pass can take.
    let rowCapacity: Int
    let inputCount: Int
    let outputCount: Int
    private let state: UnsafeMutablePointer<StepState>

    /// Rows the operations work on now, and where their inputs and targets are.
    var rows: Int {
        get { state.pointee.rows }
        set { state.pointee.rows = newValue }
    }
    var rowInputs: UnsafeMutablePointer<Double> {
        get { state.pointee.rowInputs }
        set { state.pointee.rowInputs = newValue }
    }
    var rowTargets: UnsafeMutablePointer<Double> {
        get { state.pointee.rowTargets }
        set { state.pointee.rowTargets = newValue }
    }
    /// Mean per-sample loss of the last evaluation of `rows`.
    var loss: Double {
        get { state.pointee.loss }
        set { state.pointee.loss = newValue }
    }
    /// Multiply-adds done by `multiply` so far.
    var multiplyAdds: Int {
        get { state.pointee.multiplyAdds }
        set { state.pointee.multiplyAdds = newValue }
    }
    /// The rate of the current update: the spec's, or its schedule's for this step.
    var learningRate: Double {
        get { state.pointee.learningRate }
        set { state.pointee.learningRate = newValue }
    }
    /// Updates done so far (Adam's t).
    var optimizerStep: Int {
        get { state.pointee.optimizerStep }
        set { state.pointee.optimizerStep = newValue }
    }
    /// Whether products, activations and updates large enough to split go to both threads
    /// now: with two threads, true except in the steps `ThreadChoice` runs on one.
    var splitsWork: Bool {
        get { state.pointee.splitsWork }
        set { state.pointee.splitsWork = newValue }
    }

    init(_ plan: Plan, kernels: KernelOptions) {
        func buffer(_ count: Int, from values: [Double] = []) -> UnsafeMutableBufferPointer<Double> {
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0)
            for (index, value) in values.enumerated() { buffer[index] = value }
            return buffer
        }
        sampleCount = plan.sampleCount
        validationCount = plan.validationCount
        rowCapacity = plan.rowCapacity
        self.kernels = kernels
        kernelScratchCount = plan.kernelScratchCount
        kernelScratch = plan.kernelScratchCount == 0 ? nil : .allocate(capacity: plan.kernelScratchCount * kernels.threads)
        inputCount = plan.inputCount
        outputCount = plan.outputCount
        layers = Workspace.copy(plan.layers.map(LayerShape.init))
        evaluation = Workspace.copy(plan.evaluation)
        evaluationMultiplyAdds = plan.evaluationMultiplyAdds
        updateMultiplyAdds = plan.updateMultiplyAdds
        deferredUpdate = plan.training.update == .deferred
        parameterSplit = Workspace.parameterSplit(plan)
        let ranges = Workspace.updateRanges(plan)
        // A step whose parameters another step updates is left out of the loop.
        update = Workspace.copy(plan.update.filter { operation in
            guard case .step(let layer) = operation else { return true }
            return !ranges[layer].isEmpty
        })
        updateRanges = Workspace.copy(ranges)
        lossFunction = plan.training.loss
        classification = plan.training.loss.isClassification
        optimizer = plan.training.optimizer
        parameters = buffer(plan.parameterCount, from: plan.initialParameters)
        gradients = buffer(plan.parameterCount)
        firstMoment = buffer(plan.parameterCount)
        secondMoment = buffer(plan.parameterCount)
        gradientAverage = buffer(plan.training.optimizer.keepsGradientAverage ? plan.parameterCount : 0)
        net = buffer(plan.activationCount)
        out = buffer(plan.activationCount)
        dOut = buffer(plan.activationCount)
        slope = buffer(plan.activationCount)
        delta = buffer(plan.activationCount)
        data = [plan.inputs, plan.targets, plan.validationInputs, plan.validationTargets]
        inputs = plan.inputs.storage
        targets = plan.targets.storage
        batchInputs = buffer(plan.batchSize * plan.inputCount)
        batchTargets = buffer(plan.batchSize * plan.outputCount)
        validationInputs = plan.validationInputs.storage
        validationTargets = plan.validationTargets.storage
        trainingOutputs = buffer(plan.sampleCount * plan.outputCount)
        sampleLoss = buffer(plan.rowCapacity)
        softmaxSums = buffer(plan.rowCapacity)
        outputTerms = buffer(plan.rowCapacity * plan.outputCount)
        order = Workspace.copy(Array(0..<plan.sampleCount))
        batchIndices = Workspace.copy(Array(0..<plan.batchSize))
        state = .allocate(capacity: 1)
        state.initialize(to: StepState(rows: plan.sampleCount, rowInputs: inputs.baseAddress.unsafelyUnwrapped,
                                       rowTargets: targets.baseAddress.unsafelyUnwrapped,
                                       learningRate: plan.training.learningRate, splitsWork: kernels.threads > 1))
        denseStep = DenseStep(plan, kernels: kernels, buffers: DenseStep.Buffers(
            parameters: parameters, gradients: gradients, firstMoment: firstMoment, secondMoment: secondMoment,
            net: net, out: out, dOut: dOut, slope: slope, delta: delta,
            sampleLoss: sampleLoss, softmaxSums: softmaxSums, terms: outputTerms))
    }

    /// Point the operations at the whole training set (it must fit in one pass).
    func useTrainingSet() {
        useRows(of: .training, start: 0, count: sampleCount)
    }

    /// The two data sets an evaluation goes through.
    enum DataSet {
        case training, validation
    }

    /// Point the operations at rows start..<start + count of a data set, in place.
    func useRows(of set: DataSet, start: Int, count: Int) {
        let (x, t) = set == .training ? (inputs, targets) : (validationInputs, validationTargets)
        rows = count
        rowInputs = x.baseAddress.unsafelyUnwrapped + start * inputCount
        rowTargets = t.baseAddress.unsafelyUnwrapped + start * outputCount
    }

    /// Points the operations at the batch of the samples order[start..<start + count] and
    /// runs the evaluation operations on it (`runEvaluation`), the samples copied into the
    /// batch buffers first, or by each thread for its own rows when two take the rows.
    func evaluateBatch(start: Int, count: Int) {
        rows = count
        rowInputs = batchInputs.baseAddress.unsafelyUnwrapped
        rowTargets = batchTargets.baseAddress.unsafelyUnwrapped
        runEvaluation(gatheringBatchFrom: start)
    }

    /// Copies the samples order[first + row] for the batch rows in `range` into the batch
    /// buffers.
    func gatherBatch(rows range: Range<Int>, from first: Int) {
        var row = range.lowerBound
        while row < range.upperBound {
            let sample = order[first + row]
            batchIndices[row] = sample
            (batchInputs.baseAddress.unsafelyUnwrapped + row * inputCount)
                .update(from: inputs.baseAddress.unsafelyUnwrapped + sample * inputCount, count: inputCount)
            (batchTargets.baseAddress.unsafelyUnwrapped + row * outputCount)
                .update(from: targets.baseAddress.unsafelyUnwrapped + sample * outputCount, count: outputCount)
            row += 1
        }
    }

    /// Restores the identity order and shuffles it in place (Fisher-Yates with
    /// j = floor(u (i + 1)), i from count - 1 down to 1): a fresh permutation per epoch.
    func reshuffle(_ random: inout RandomSource) {
        var i = 0
        while i < order.count { order[i] = i; i += 1 }
        i = order.count - 1
        while i > 0 {
            let j = min(i, Int(random.uniform() * Double(i + 1)))
            order.swapAt(i, j)
            i -= 1
        }
    }

    /// The parameters each layer's `.step` updates, by layer: its trained weights and bias,
    /// except that steps that follow one another in the plan over adjacent parameters are
    /// one update over their union, given to the first, and the others get an empty range
    /// (the workspace leaves their steps out). Each
    /// element's update reads only that element and the step's scalars, so this is the same
    /// bits; it halves the handoffs to the second thread for a network of two layers and
    /// gives the two threads equal halves (w3: 8,320 and 1,290 parameters, of which only the
    /// first was split, become one split of 9,610).
    static func updateRanges(_ plan: Plan) -> [Range<Int>] {
        var ranges = Array(repeating: 0..<0, count: plan.layers.count)
        var extended: Int?   // the layer whose range the next adjacent step extends
        for operation in plan.update {
            guard case .step(let index) = operation else {
                extended = nil
                continue
            }
            let layer = plan.layers[index]
            let range = layer.weightOffset..<(layer.biasTrained ? layer.biasOffset + layer.biasCount : layer.biasOffset)
            if let first = extended, ranges[first].upperBound == range.lowerBound {
                ranges[first] = ranges[first].lowerBound..<range.upperBound
            } else {
                ranges[index] = range
                extended = index
            }
        }
        return ranges
    }

    /// The parameter nearest the middle of all of them that starts a layer's weight row or a
    /// layer, where two threads divide a deferred update: each computes the gradients of the
    /// parameters on its side and steps them, so that a whole row of dW is one thread's, and
    /// each thread's steps read only gradients it computed. The weights are most of the
    /// parameters and of the gradient's multiply-adds (S per weight), so equal halves of
    /// the parameters are nearly equal halves of the work.
    static func parameterSplit(_ plan: Plan) -> Int {
        let middle = plan.parameterCount / 2
        var best = 0
        for layer in plan.layers {
            let I = max(layer.inputCount, 1)
            let row = min(max((middle - layer.weightOffset + I / 2) / I, 0), layer.units)   // the nearest row start
            for start in [layer.weightOffset + row * I, layer.biasOffset + layer.biasCount]
            where abs(start - middle) < abs(best - middle) {
                best = start
            }
        }
        return best
    }

    private static func copy<Element>(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(array.count, 1))
        _ = buffer.initialize(from: array)
        return buffer
    }

    deinit {
        for buffer in [parameters, gradients, firstMoment, secondMoment, gradientAverage, net, out, dOut, slope, delta,
                       batchInputs, batchTargets, trainingOutputs, sampleLoss, softmaxSums, outputTerms] {
            buffer.deallocate()
        }
        kernelScratch?.deallocate()
        state.deallocate()
        layers.deinitialize().deallocate()
        evaluation.deinitialize().deallocate()
        update.deinitialize().deallocate()
        updateRanges.deinitialize().deallocate()
        order.deinitialize().deallocate()
        batchIndices.deinitialize().deallocate()
    }
}

/// The scalars a step reads and writes, kept behind a pointer (see `Workspace`).
struct StepState {
    var rows: Int
    var rowInputs: UnsafeMutablePointer<Double>
    var rowTargets: UnsafeMutablePointer<Double>
    var loss = 0.0
    var multiplyAdds = 0
    var optimizerStep = 0
    var learningRate = 0.0
    var splitsWork: Bool
}

/// A layer's sizes and offsets (`LayerPlan` without its name and location): a trivial
/// value, copied in the step loop without reference counting.
struct LayerShape {
    var inputCount: Int
    var units: Int
    var activation: Activation
    var alpha: Double
    var weightOffset: Int
    var biasOffset: Int
    var biasCount: Int
    var biasShared: Bool
    var activationOffset: Int

    init(_ layer: LayerPlan) {
        inputCount = layer.inputCount
        units = layer.units
        activation = layer.activation
        alpha = layer.alpha
        weightOffset = layer.weightOffset
        biasOffset = layer.biasOffset
        biasCount = layer.biasCount
        biasShared = layer.biasShared
        activationOffset = layer.activationOffset
    }
}
