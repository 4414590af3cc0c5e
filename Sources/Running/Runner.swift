import Planning

/// Trains a plan in Float64.
///
/// All buffers are allocated before the first step: the workspace, the history and a
/// snapshot per traced step. The step loop only runs the plan's operations and copies
/// into those buffers.
public enum Runner {
    public static func run(_ plan: Plan) -> TrainingResult {
        let workspace = Workspace(plan)
        let historySteps = plan.historySteps
        var historyLoss = [Double](repeating: .nan, count: historySteps.count)
        let snapshots = plan.record.traceSteps.map { TraceSnapshot(step: $0, plan: plan) }

        workspace.execute(workspace.evaluation)
        let initial = evaluation(workspace, plan, step: 0)
        var recorded = 0
        if historySteps.first == 0 { historyLoss[0] = workspace.loss; recorded = 1 }

        var status = TrainingResult.Status.completed
        var traced = 0
        var step = 0
        while step < plan.training.steps {
            step += 1
            workspace.execute(workspace.update)
            if traced < snapshots.count, snapshots[traced].step == step {
                snapshots[traced].capture(workspace)
                traced += 1
            }
            workspace.execute(workspace.evaluation)
            if recorded < historySteps.count, historySteps[recorded] == step {
                historyLoss[recorded] = workspace.loss
                recorded += 1
            }
            if !workspace.loss.isFinite {
                status = .diverged
                break
            }
        }

        // A diverged run records the step it stopped at, if the schedule had not.
        var keptSteps = Array(historySteps.prefix(recorded))
        var keptLoss = Array(historyLoss.prefix(recorded))
        if keptSteps.last != step {
            keptSteps.append(step)
            keptLoss.append(workspace.loss)
        }
        return TrainingResult(
            status: status, steps: step,
            initial: initial,
            final: evaluation(workspace, plan, step: step),
            finalLayers: plan.layers.map { layerParameters($0, workspace.parameters) },
            history: History(steps: keptSteps, loss: keptLoss),
            trace: snapshots.prefix(traced).map { $0.traceStep(plan) })
    }

    private static func evaluation(_ workspace: Workspace, _ plan: Plan, step: Int) -> Evaluation {
        let outputs = plan.layers.last.map { rows(workspace.out, $0, samples: plan.sampleCount) } ?? []
        return Evaluation(step: step, loss: workspace.loss, outputs: outputs)
    }

    static func layerParameters(_ layer: LayerPlan, _ parameters: UnsafeMutableBufferPointer<Double>) -> LayerParameters {
        LayerParameters(name: layer.name, weights: weightRows(layer, parameters),
                        bias: biasPerUnit(layer, parameters), biasShared: layer.biasShared)
    }

    /// A layer's (samples, units) block of an activation buffer as rows.
    static func rows(_ buffer: UnsafeMutableBufferPointer<Double>, _ layer: LayerPlan, samples: Int) -> [[Double]] {
        (0..<samples).map { s in
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
