import Planning
import Validation

/// Trains a plan in Float64.
///
/// All buffers are allocated before the first step: the workspace, the history and a
/// snapshot per traced step. The step loop only runs the plan's operations and copies
/// into those buffers.
///
/// One step: take the next batch of the epoch's order (reshuffled at each epoch start
/// when the spec asks), run the forward pass and loss on it, then the plan's update
/// operations. At recorded steps the network is evaluated on the whole training set
/// (and the validation set). With a full batch in data order the evaluation after step
/// k is exactly the forward pass of step k + 1, so it is run once and used for both.
public enum Runner {
    /// Trains `plan`. `stopRequested` is asked after every step; when it says yes, training
    /// ends there with status `interrupted` (the CLI's SIGINT and SIGTERM handlers).
    /// `progress` is told the step and the batch loss every 4,096 steps (for a live
    /// progress line); it must not block. `kernels` choose how matrix products are
    /// computed; every choice gives the same bits.
    public static func run(_ plan: Plan, kernels: KernelOptions = .automatic, stopRequested: () -> Bool = { false },
                           progress: (_ step: Int, _ loss: Double) -> Void = { _, _ in }) -> TrainingResult {
        var threads = ThreadChoice(kernels)
        return run(plan, kernels: kernels, threads: &threads, stopRequested: stopRequested, progress: progress)
    }

    /// `run` with the choice of threads held by the caller (tests give it their own clock).
    static func run(_ plan: Plan, kernels: KernelOptions, threads: inout ThreadChoice, stopRequested: () -> Bool = { false },
                    progress: (_ step: Int, _ loss: Double) -> Void = { _, _ in }) -> TrainingResult {
        let workspace = Workspace(plan, kernels: kernels)
        let recorder = HistoryRecorder(plan)
        let snapshots = plan.record.traceSteps.map { TraceSnapshot(step: $0, plan: plan) }
        let wholeSetInOrder = plan.batchSize == plan.sampleCount && plan.shuffleSeed == nil
        var order = EpochOrder(shuffle: plan.shuffleSeed.map { RandomSource(seed: $0) })

        var current = evaluate(workspace, plan)
        let initial = evaluation(workspace, plan, current, step: 0)
        recorder.record(step: 0, current)

        var status = TrainingResult.Status.completed
        var divergence: Divergence?
        var traced = 0
        var step = 0
        var evaluatedNow = true     // the activations hold the training set at the current parameters
        let scheduled = plan.training.schedule != nil
        var stopping = plan.training.earlyStopping.map { EarlyStoppingWatch($0, plan: plan) }
        // The small path when runs of steps go through it in one call. Such runs hold one
        // learning rate and check nothing between steps: not with a schedule (a rate per step)
        // or early stopping (a check per recorded step).
        let fullBatchStep = wholeSetInOrder && snapshots.isEmpty && plan.validationCount == 0 && !scheduled
            && stopping == nil ? workspace.fullBatchStep : nil
        while step < plan.training.steps {
            let batchLoss: Double   // the last step's, before its update
            if let dense = fullBatchStep {
                // A whole-set run evaluates after every step, so the activations hold the
                // current parameters' forward pass here.
                assert(evaluatedNow)
                let steps = FullBatchSteps(workspace, dense, plan, after: step, loss: current.loss)
                // A run of steps in one call (the small-network path): the same steps, their
                // evaluations recorded afterwards; the checks below run between runs. The
                // activations hold the run's last evaluation, so `evaluatedNow` stays true.
                recorder.record(steps, after: step)
                current = steps.metrics(steps.count - 1)
                step += steps.count
                batchLoss = steps.lastBatchLoss
            } else {
                step += 1
                let batch = order.nextBatch(workspace, plan)
                workspace.splitsWork = threads.beginStep(timed: batch.count == plan.batchSize)
                if wholeSetInOrder {
                    // The evaluation after the last step (or before the first) is this step's
                    // forward pass.
                    assert(evaluatedNow)
                    workspace.useTrainingSet()   // the batch indices stay the identity: nothing reorders them here
                } else {
                    workspace.evaluateBatch(start: batch.lowerBound, count: batch.count)
                }
                batchLoss = workspace.loss
                workspace.optimizerStep = step
                if scheduled { workspace.learningRate = plan.learningRate(update: step) }
                workspace.runUpdate()
                threads.endStep()
                if traced < snapshots.count, snapshots[traced].step == step {
                    snapshots[traced].capture(workspace, batchLoss: batchLoss)
                    traced += 1
                }
                evaluatedNow = false

                if wholeSetInOrder || recorder.wants(step) {
                    current = evaluate(workspace, plan, validation: recorder.wants(step) || step == plan.training.steps)
                    evaluatedNow = true
                    recorder.record(step: step, current)
                }
            }
            if !batchLoss.isFinite || (evaluatedNow && !current.loss.isFinite) {
                status = .diverged
                divergence = firstNonFinite(workspace, plan, step: step)
                break
            }
            if step & 4095 == 0 { progress(step, batchLoss) }
            if evaluatedNow, stopping?.stops(after: step, current, workspace) == true { break }
            if stopRequested() {
                status = .interrupted
                break
            }
        }
        if !evaluatedNow { current = evaluate(workspace, plan) }
        recorder.recordIfMissing(step: step, current)
        var parametersStep = step
        if status == .completed, let restored = stopping?.restoreBest(workspace) {
            parametersStep = restored
            current = evaluate(workspace, plan)
        }

        return TrainingResult(
            status: status, divergence: divergence, steps: step, initial: initial,
            final: evaluation(workspace, plan, current, step: parametersStep),
            history: recorder.history(learningRate: scheduled ? { plan.learningRate(update: $0) } : nil),
            trace: snapshots.prefix(traced).map { $0.traceStep(plan) },
            multiplyAdds: workspace.multiplyAdds,
            stopping: stopping?.outcome(step: step, parametersStep: parametersStep, plan: plan))
    }

    /// Where training stands in the epoch's order of samples, and the generator that
    /// reshuffles that order at each epoch's start (nil: data order throughout).
    private struct EpochOrder {
        var position = 0
        var shuffle: RandomSource?

        /// The next batch's positions in the epoch's order (the last batch of an epoch may be
        /// short), the order reshuffled first when an epoch starts.
        @inline(__always)
        mutating func nextBatch(_ workspace: Workspace, _ plan: Plan) -> Range<Int> {
            if position == 0, var generator = shuffle {
                workspace.reshuffle(&generator)
                shuffle = generator
            }
            let batch = position..<(position + min(plan.batchSize, plan.sampleCount - position))
            position = batch.upperBound == plan.sampleCount ? 0 : batch.upperBound
            return batch
        }
    }

    /// The first layer whose parameters or gradients are not finite, or the loss.
    private static func firstNonFinite(_ workspace: Workspace, _ plan: Plan, step: Int) -> Divergence {
        for layer in plan.layers {
            let ranges: [(parameter: Divergence.Quantity, gradient: Divergence.Quantity, Range<Int>)] = [
                (.weights, .weightGradient, layer.weightOffset..<layer.biasOffset),
                (.bias, .biasGradient, layer.biasOffset..<(layer.biasOffset + layer.biasCount)),
            ]
            for (parameter, gradient, range) in ranges {
                if range.contains(where: { !workspace.parameters[$0].isFinite }) {
                    return Divergence(step: step, layer: layer.name, location: layer.location, quantity: parameter)
                }
                if range.contains(where: { !workspace.gradients[$0].isFinite }) {
                    return Divergence(step: step, layer: layer.name, location: layer.location, quantity: gradient)
                }
            }
        }
        return Divergence(step: step, layer: nil, location: nil, quantity: .loss)
    }

    /// Loss and metrics of the current parameters.
    struct Metrics {
        var loss: Double
        var accuracy: Double
        var validationLoss: Double
        var validationAccuracy: Double
    }

    /// Evaluates the validation set (if any), then the training set, so the activations
    /// end up holding the training set's forward pass (when it fits in one pass, as it
    /// does whenever the batch is the whole set).
    private static func evaluate(_ workspace: Workspace, _ plan: Plan, validation: Bool = true) -> Metrics {
        workspace.splitsWork = workspace.kernels.threads > 1   // evaluations split whenever they can (ThreadChoice)
        var metrics = Metrics(loss: .nan, accuracy: .nan, validationLoss: .nan, validationAccuracy: .nan)
        if validation && plan.validationCount > 0 {
            (metrics.validationLoss, metrics.validationAccuracy) = workspace.evaluate(.validation)
        }
        (metrics.loss, metrics.accuracy) = workspace.evaluate(.training)
        return metrics
    }

    /// The evaluation the workspace holds (training set), as values for the results.
    private static func evaluation(_ workspace: Workspace, _ plan: Plan, _ metrics: Metrics, step: Int) -> Evaluation {
        let classification = plan.training.loss.isClassification
        let validation = plan.validationCount > 0
        let K = plan.outputCount
        let outputs = (0..<plan.sampleCount).map { s in Array(workspace.trainingOutputs[(s * K)..<(s * K + K)]) }
        return Evaluation(
            step: step, loss: metrics.loss,
            accuracy: classification ? metrics.accuracy : nil,
            validationLoss: validation ? metrics.validationLoss : nil,
            validationAccuracy: validation && classification ? metrics.validationAccuracy : nil,
            outputs: outputs,
            layers: plan.layers.map { layerParameters($0, workspace.parameters) })
    }

    static func layerParameters(_ layer: LayerPlan, _ parameters: UnsafeMutableBufferPointer<Double>) -> LayerParameters {
        LayerParameters(name: layer.name, weights: weightRows(layer, parameters),
                        bias: biasPerUnit(layer, parameters), biasShared: layer.biasShared)
    }

    /// The first `count` rows of a layer's block of an activation buffer.
    static func rows(_ buffer: UnsafeMutableBufferPointer<Double>, _ layer: LayerPlan, count: Int) -> [[Double]] {
        (0..<count).map { s in
            let start = layer.activationOffset + s * layer.units
            return Array(buffer[start..<(start + layer.units)])
        }
    }

    static func weightRows(_ layer: LayerPlan, _ buffer: UnsafeMutableBufferPointer<Double>) -> [[Double]] {
        (0..<layer.units).map { u in
            let start = layer.weightOffset + u * layer.inputCount
            return Array(buffer[start..<(start + layer.inputCount)])
        }
    }

    static func biasPerUnit(_ layer: LayerPlan, _ buffer: UnsafeMutableBufferPointer<Double>) -> [Double]? {
        guard layer.biasCount > 0 else { return nil }
        if layer.biasShared { return Array(repeating: buffer[layer.biasOffset], count: layer.units) }
        return Array(buffer[layer.biasOffset..<(layer.biasOffset + layer.biasCount)])
    }
}

/// The history series, preallocated to the plan's recorded steps. The series and the
/// count live in unsafe buffers: `record` runs every recorded step, and a class's `var`
/// arrays would cost a dynamic exclusivity check on each write. Only the series the
/// results report are written (accuracy when classifying, the validation series with a
/// validation set) and only their first `count` slots are read, so the buffers are left
/// uninitialized until written: a run touches only the memory it records into.
private final class HistoryRecorder {
    let plannedSteps: [Int]
    let steps: UnsafeMutableBufferPointer<Int>
    /// loss, accuracy, validation loss, validation accuracy: one series of `capacity` each.
    let series: UnsafeMutableBufferPointer<Double>
    let capacity: Int
    private let counter: UnsafeMutablePointer<Int>
    let classification: Bool
    let validation: Bool

    var count: Int {
        get { counter.pointee }
        set { counter.pointee = newValue }
    }

    init(_ plan: Plan) {
        plannedSteps = plan.historySteps
        // One spare slot: a diverged run records the step it stopped at.
        capacity = plan.historySteps.count + 1
        steps = .allocate(capacity: capacity)
        series = .allocate(capacity: 4 * capacity)
        counter = .allocate(capacity: 1)
        counter.initialize(to: 0)
        classification = plan.training.loss.isClassification
        validation = plan.validationCount > 0
    }

    deinit {
        steps.deallocate()
        series.deallocate()
        counter.deallocate()
    }

    private var plannedCount: Int { capacity - 1 }

    func wants(_ step: Int) -> Bool {
        count < plannedCount && plannedSteps[count] == step
    }

    func record(step: Int, _ metrics: Runner.Metrics) {
        guard count < capacity else { return }
        if count > 0 && steps[count - 1] == step { return }
        if count < plannedCount && plannedSteps[count] != step { return }
        store(step: step, metrics)
    }

    /// Records the evaluations after steps `done` + 1 through `done` + `run.count`, as
    /// `record` would one by one. When the plan records every one of those steps (w1 records
    /// each step), they are copied as series; the planned steps increase strictly, so the
    /// first and the last being the run's first and last step means all of them are.
    func record(_ run: FullBatchSteps, after done: Int) {
        let index = count, first = done + 1, last = done + run.count
        let consecutive = index + run.count <= plannedCount && plannedSteps[index] == first
            && plannedSteps[index + run.count - 1] == last
        guard consecutive else {
            for offset in 0..<run.count { record(step: first + offset, run.metrics(offset)) }
            return
        }
        for offset in 0..<run.count { steps[index + offset] = first + offset }
        // No validation series: runs of steps are made only without a validation set.
        run.write(loss: slots(series: 0, from: index, count: run.count),
                  accuracy: classification ? slots(series: 1, from: index, count: run.count) : nil)
        count = index + run.count
    }

    /// Slots `start ..< start + count` of series `number`.
    private func slots(series number: Int, from start: Int, count: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: series[(number * capacity + start)..<(number * capacity + start + count)])
    }

    func recordIfMissing(step: Int, _ metrics: Runner.Metrics) {
        if count == 0 || steps[count - 1] != step { store(step: step, metrics) }
    }

    private func store(step: Int, _ metrics: Runner.Metrics) {
        let index = count
        guard index < capacity else { return }
        steps[index] = step
        series[index] = metrics.loss
        if classification { series[capacity + index] = metrics.accuracy }
        if validation {
            series[2 * capacity + index] = metrics.validationLoss
            series[3 * capacity + index] = metrics.validationAccuracy
        }
        count = index + 1
    }

    /// The first `count` values of series `number`.
    private func values(_ number: Int) -> [Double] {
        Array(series[(number * capacity)..<(number * capacity + count)])
    }

    /// `learningRate`: a schedule's rate of an update, for the `learning_rate` series.
    func history(learningRate: ((Int) -> Double)?) -> History {
        let recorded = Array(steps.prefix(count))
        return History(steps: recorded, loss: values(0),
                       accuracy: classification ? values(1) : nil,
                       validationLoss: validation ? values(2) : nil,
                       validationAccuracy: validation && classification ? values(3) : nil,
                       learningRate: learningRate.map { rate in recorded.map { rate(max($0, 1)) } })
    }
}
