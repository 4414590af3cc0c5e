import Foundation

/// The human-readable form `nnrun plan` prints.
extension Plan {
    public var readableDescription: String {
        var lines: [String] = []
        lines.append("plan for '\(name)'")
        lines.append("  inputs: \(inputCount)   samples: \(sampleCount)   outputs: \(outputCount)")
        if let split = validationSplit {
            let which = split.seed.map { "drawn with seed \($0)" } ?? "the last in data order"
            lines.append("  validation: \(split.validationIndices.count) of the \(split.dataCount) samples held out (split \(split.fraction), \(which))")
        }
        if let scaling = inputScaling {
            lines.append("  inputs scaled: \(scaling.method.rawValue), constants fitted on the \(sampleCount) training samples (in the results file)")
        }
        lines.append("")
        lines.append("  layers")
        let header = ["#", "name", "shape (out, in)", "activation", "weights", "bias", "parameters"]
        var rows: [[String]] = [header]
        for (index, layer) in layers.enumerated() {
            let bias: String
            switch (layer.biasCount, layer.biasShared) {
            case (0, _): bias = "none"
            case (_, true): bias = "1 shared"
            default: bias = "\(layer.biasCount)"
            }
            let trained = layer.biasCount > 0 && !layer.biasTrained ? " (fixed)" : ""
            rows.append(["\(index + 1)", layer.name, "(\(layer.units), \(layer.inputCount))",
                         layer.activation.rawValue, "\(layer.weightCount)", bias + trained, "\(layer.parameterCount)"])
        }
        lines += Plan.table(rows).map { "    " + $0 }
        let trained = layers.reduce(0) { $0 + $1.weightCount + ($1.biasTrained ? $1.biasCount : 0) }
        lines.append("    total parameters: \(parameterCount) (\(trained) trained)")
        lines.append("")
        lines.append("  buffers (Float64, allocated once before the first step)")
        lines += Plan.table([
            ["parameters, gradients", "2 x \(parameterCount)", "weights then bias, layer by layer"],
            ["optimizer state", optimizerState, training.optimizer.name],
            ["net, out, dOut, slope, delta", "5 x \(activationCount)", "(\(rowCapacity) rows, units) per layer"],
            ["inputs, targets", "\(sampleCount * inputCount) + \(sampleCount * outputCount)", "(samples, inputs), (samples, outputs)"],
            ["batch inputs, targets", "\(batchSize * inputCount) + \(batchSize * outputCount)", "the samples of one step"],
            ["validation", "\(validationCount * inputCount) + \(validationCount * outputCount)", "(validation samples, inputs), (..., outputs)"],
            ["history", "\(historySteps.count) points", "step 0, every \(record.every), and the last"],
            ["trace", "\(record.traceSteps.count) step(s)", record.traceSteps.isEmpty ? "" : "steps \(record.traceSteps.map(String.init).joined(separator: ", "))"],
        ]).map { "    " + $0 }
        lines.append("    memory: \(memory.description)")
        lines.append("")
        let epochs = training.epochs.map { " (\($0) epochs of \(stepsPerEpoch))" } ?? ""
        let shuffled = shuffleSeed.map { ", reshuffled every epoch (seed \($0))" } ?? ""
        lines.append("  training: \(training.steps) steps\(epochs), \(training.optimizer.name) (learning rate \(training.learningRate)\(scheduleText)), loss \(training.loss.rawValue), batch \(training.batch.description)\(shuffled), update \(training.update.rawValue)")
        if let stopping = training.earlyStopping {
            let restore = stopping.restoreBest ? "; the results hold the best check's parameters" : ""
            lines.append("  early stopping: \(stopping.monitor.rawValue) checked at every recorded step, patience \(stopping.patience), min delta \(stopping.minDelta)\(restore)")
        }
        lines.append("  each step:")
        let all = evaluation + update
        for (index, operation) in all.enumerated() {
            lines.append("    \(index + 1). \(describe(operation))")
        }
        return lines.joined(separator: "\n")
    }

    /// The schedule's name, counter and warm-up, after the learning rate.
    private var scheduleText: String {
        guard let schedule = training.schedule else { return "" }
        let warmup = schedule.warmup > 0 ? ", warm-up \(schedule.warmup)" : ""
        return ", \(schedule.name.rawValue) schedule by \(schedule.unit.rawValue)\(warmup)"
    }

    private var optimizerState: String {
        switch training.optimizer {
        case .sgd(let momentum, _, _): return momentum == 0 ? "none" : "1 x \(parameterCount)"
        case .adam, .adamw: return "2 x \(parameterCount)"
        case .rmsprop(_, _, let momentum, let centered, _):
            return "\(1 + (momentum == 0 ? 0 : 1) + (centered ? 1 : 0)) x \(parameterCount)"
        }
    }

    private func describe(_ operation: Operation) -> String {
        func name(_ layer: Int) -> String { "'\(layers[layer].name)'" }
        switch operation {
        case .forward(let layer):
            return "forward \(name(layer)): net = W x + b, out = \(layers[layer].activation.rawValue)(net)"
        case .loss:
            return "loss: \(training.loss.rawValue) of the outputs, dE/dout of the output layer"
        case .delta(let layer):
            return "delta \(name(layer)): dE/dnet = dE/dout * dout/dnet"
        case .gradient(let layer):
            return "gradient \(name(layer)): dE/dW = mean over samples of delta x^T" + (layers[layer].biasCount > 0 ? ", dE/db" : "")
        case .propagate(let layer):
            return "propagate \(name(layer)) -> \(name(layer - 1)): dE/dout = W^T delta"
        case .step(let layer):
            let what = layers[layer].biasTrained ? "W and b" : "W"
            switch training.optimizer {
            case .sgd(let momentum, let nesterov, let weightDecay):
                if momentum == 0 && weightDecay == 0 {
                    return "update \(name(layer)): W -= \(training.learningRate) dE/dW" + (layers[layer].biasTrained ? ", b -= \(training.learningRate) dE/db" : "")
                }
                return "update \(name(layer)): \(what) by sgd (momentum \(momentum)\(nesterov ? ", nesterov" : ""), weight decay \(weightDecay))"
            case .adam(let beta1, let beta2, let epsilon, let weightDecay):
                return "update \(name(layer)): \(what) by adam (beta1 \(beta1), beta2 \(beta2), epsilon \(epsilon), weight decay \(weightDecay))"
            case .adamw(let beta1, let beta2, let epsilon, let weightDecay):
                return "update \(name(layer)): \(what) by adamw (beta1 \(beta1), beta2 \(beta2), epsilon \(epsilon), decoupled weight decay \(weightDecay))"
            case .rmsprop(let alpha, let epsilon, let momentum, let centered, let weightDecay):
                return "update \(name(layer)): \(what) by rmsprop (alpha \(alpha), epsilon \(epsilon), momentum \(momentum)\(centered ? ", centered" : ""), weight decay \(weightDecay))"
            }
        }
    }

    static func table(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in cell.padding(toLength: widths[column], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
