import Diagnostics

extension KeyAliases {
    /// Keys that belong to exactly one section, and where that section is: a key written
    /// elsewhere (`loss:` at the top level) is told where it goes.
    public static let homes: [String: String] = {
        var homes: [String: String] = [:]
        for key in TrainingSection.keys { homes[key] = "training" }
        for key in ModelSection.keys where key != "inputs" { homes[key] = "model" }
        for key in ["units", "activation", "alpha", "weights", "bias"] { homes[key] = "each layer of model.layers" }
        for key in RecordSection.keys { homes[key] = "record" }
        for key in ["momentum", "nesterov", "weight_decay", "beta1", "beta2", "epsilon", "centered"] { homes[key] = "training.optimizer" }
        for key in ["step_size", "gamma", "t_max", "eta_min", "warmup"] { homes[key] = "training.schedule" }
        for key in EarlyStoppingEntry.keys { homes[key] = "training.early_stopping" }
        homes["checks"] = "expect"
        return homes
    }()
}
