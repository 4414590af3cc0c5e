import Running

extension TrainingResult {
    /// Every number of the result as its bits, for comparing runs bit for bit: both
    /// evaluations (losses, accuracies, outputs, parameters), the history (its steps and
    /// every series), where training stopped and early stopping's best, and the trace.
    public var bitPatterns: [UInt64] {
        var values: [Double] = []
        for evaluation in [initial, final] {
            values += [evaluation.loss, evaluation.accuracy ?? 0, evaluation.validationLoss ?? 0,
                       evaluation.validationAccuracy ?? 0]
            values += evaluation.outputs.joined()
            for layer in evaluation.layers { values += layer.weights.joined() + (layer.bias ?? []) }
        }
        values += history.loss + (history.accuracy ?? []) + (history.validationLoss ?? [])
            + (history.validationAccuracy ?? []) + (history.learningRate ?? [])
        values += history.steps.map(Double.init)
        // Early stopping: where it stopped and the best value depend on every bit before them.
        values += [Double(steps), Double(stopping?.bestStep ?? 0), stopping?.best ?? 0]
        for step in trace {
            for layer in step.layers {
                for matrix in [layer.net, layer.out, layer.delta, layer.weightGradient] { values += matrix.joined() }
            }
        }
        return values.map(\.bitPattern)
    }
}
