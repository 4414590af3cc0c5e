import Planning
import Validation

/// The script's constants for the validation split, input scaling and early stopping
/// (Docs/pytorch.md). The script splits and scales data files itself, as nnrun does;
/// samples it lists (`DataSource.listed`) are nnrun's, already split and scaled.
extension PyTorchScript {
    static func trainingBreadth(_ plan: Plan, data: DataSource) -> String {
        let prepared = data.isListed, split = plan.validationSplit, scaling = plan.inputScaling
        var lines: [String] = []
        lines.append("# The validation split and input scaling (None: not used); PREPARED: the listed samples are already split and scaled.")
        lines.append("SPLIT = " + (split.map {
            "{\"fraction\": \(PythonLiteral.number($0.fraction)), \"seed\": \($0.seed.map { "\($0)" } ?? "None"), \"samples\": \($0.dataCount)}"
        } ?? "None"))
        lines.append("SCALE = " + (scaling.map { PythonLiteral.string($0.method.rawValue) } ?? "None"))
        lines.append("PREPARED = \(prepared ? "True" : "False")")
        lines.append("PREPARED_VALIDATION_INDICES = " + (prepared ? split.map { "\($0.validationIndices)" } ?? "None" : "None"))
        lines.append("PREPARED_SCALING = " + (prepared ? scaling.map {
            "{\"offset\": \(PythonLiteral.list($0.offset)), \"scale\": \(PythonLiteral.list($0.scale))}"
        } ?? "None" : "None"))
        lines.append("EARLY_STOPPING = " + (plan.training.earlyStopping.map {
            "{\"monitor\": \(PythonLiteral.string($0.monitor.rawValue)), \"patience\": \($0.patience), \"min_delta\": \(PythonLiteral.number($0.minDelta)), \"restore_best\": \($0.restoreBest ? "True" : "False")}"
        } ?? "None"))
        return lines.joined(separator: "\n")
    }
}

extension PyTorchScript.DataSource {
    /// Samples written into the script rather than read from a file.
    var isListed: Bool {
        if case .listed = self { return true }
        return false
    }
}
