/// `data.scale`: how each input column is scaled, fitted on the training samples
/// (Docs/spec-format.md, "Input scaling"; the fitting is `Validation/InputScaling`).
public enum ScalingMethod: String, CaseIterable, Sendable {
    /// (x - mean) / std, std the population standard deviation (sklearn's StandardScaler).
    case standardize
    /// (x - min) / (max - min), to [0, 1] on the training samples (sklearn's MinMaxScaler).
    case minmax
}
