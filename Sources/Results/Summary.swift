import Running

/// The few lines `nnrun run` prints on the terminal.
public enum Summary {
    public static func text(_ result: TrainingResult, specName: String, settings: String, resultsPath: String?) -> String {
        var lines: [String] = []
        let verb = result.status == .completed ? "trained" : "stopped (\(result.status.rawValue)) after"
        lines.append("\(specName): \(verb) \(result.steps) step\(result.steps == 1 ? "" : "s") (\(settings))")
        lines.append("  loss     \(result.initial.loss.description) at step 0 -> \(result.final.loss.description) at step \(result.final.step)")
        for (index, row) in result.final.outputs.prefix(4).enumerated() {
            lines.append("  outputs  sample \(index): [\(row.map(\.description).joined(separator: ", "))]")
        }
        if result.final.outputs.count > 4 {
            lines.append("  outputs  ... \(result.final.outputs.count - 4) more samples in the results file")
        }
        if let divergence = result.divergence {
            let place = divergence.layer.map { "\(divergence.quantity) of layer '\($0)'" } ?? "the loss"
            lines.append("  diverged at step \(divergence.step): \(place) became NaN or infinite")
        }
        if let resultsPath { lines.append("  results  \(resultsPath)") }
        return lines.joined(separator: "\n")
    }
}
