/// Words users bring from other tools (Keras, PyTorch, scikit-learn) or write for short,
/// and the spec's word for each: "did you mean" offers these where the edit distance would
/// not (`lr` is 12 edits from `learning_rate`).
public enum KeyAliases {
    /// Keys: `lr` -> `learning_rate`.
    public static let keys: [String: String] = [
        "train": "training", "trainer": "training", "optim": "optimizer",
        "lr": "learning_rate", "learningrate": "learning_rate", "learningRate": "learning_rate", "eta": "learning_rate",
        "iterations": "steps", "iters": "steps", "max_steps": "steps", "epoch": "epochs", "num_epochs": "epochs",
        "batch_size": "batch", "batchsize": "batch", "batchSize": "batch",
        "layer": "layers", "neurons": "units", "size": "units", "activation_function": "activation",
        "input": "inputs", "n_inputs": "inputs", "target": "targets", "labels": "targets",
        "decay": "weight_decay", "beta_1": "beta1", "beta_2": "beta2", "eps": "epsilon",
        "initializer": "init", "kernel_initializer": "init", "expectations": "expect", "checks_tolerance": "tolerance",
        "restore_best_weights": "restore_best", "earlystopping": "early_stopping",
    ]

    /// Names in vocabularies: `bce` -> `binary_cross_entropy`.
    public static let names: [String: String] = [
        "bce": "binary_cross_entropy", "binary_crossentropy": "binary_cross_entropy", "bce_loss": "binary_cross_entropy",
        "ce": "cross_entropy", "crossentropy": "cross_entropy", "categorical_crossentropy": "cross_entropy",
        "categorical_cross_entropy": "cross_entropy", "nll": "cross_entropy",
        "mean_squared_error": "mse", "l2": "mse", "sse": "half_squared_error",
        "logistic": "sigmoid", "identity": "linear", "none": "linear",
        "leakyrelu": "leaky_relu", "lrelu": "leaky_relu",
        "glorot_uniform": "xavier_uniform", "glorot_normal": "xavier_normal",
        "kaiming_uniform": "he_uniform", "kaiming_normal": "he_normal",
        "batch": "full", "stochastic": "online",
        "val_loss": "validation_loss", "val_accuracy": "validation_accuracy", "val_acc": "validation_accuracy",
        "standard": "standardize", "zscore": "standardize", "min_max": "minmax",
    ]

    /// The spec's word for `word` among `candidates`: its alias when that is a candidate,
    /// otherwise the closest candidate by edit distance.
    public static func suggestion(for word: String, in candidates: [String], aliases: [String: String] = keys) -> String? {
        if let alias = aliases[word] ?? aliases[word.lowercased()], candidates.contains(alias) { return alias }
        return Suggestion.closest(to: word, in: candidates)
    }
}
