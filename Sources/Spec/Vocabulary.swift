/// The names a spec may use for activations, losses, optimizers and orderings.
/// Their mathematics lives with the runner (`Running/Activation+Math.swift`, ...).

public enum Activation: String, CaseIterable, Sendable {
    case sigmoid, tanh, relu
    /// max(alpha x, x) for alpha < 1; `alpha` is a layer key (default 0.01).
    case leakyRelu = "leaky_relu"
    case linear
    /// Output layer only, with the cross_entropy loss.
    case softmax
}

public enum Loss: String, CaseIterable, Sendable {
    /// Per sample: sum over outputs of 1/2 (t - o)^2.
    case halfSquaredError = "half_squared_error"
    /// Per sample: mean over outputs of (t - o)^2.
    case mse
    /// Per sample: sum over outputs of -[t log o + (1 - t) log(1 - o)]; sigmoid outputs.
    case binaryCrossEntropy = "binary_cross_entropy"
    /// Per sample: -sum over outputs of t log softmax(net); softmax outputs.
    case crossEntropy = "cross_entropy"

    /// Classification losses report accuracy.
    public var isClassification: Bool { self == .binaryCrossEntropy || self == .crossEntropy }
}

public enum OptimizerName: String, CaseIterable, Sendable {
    case sgd, adam, adamw, rmsprop
}

/// Batch names; a whole number is a mini-batch size.
public enum BatchName: String, CaseIterable, Sendable {
    /// Every sample, every step.
    case full
    /// One sample per step, in order.
    case online
}

/// When, within a step, each layer's parameters are updated.
public enum UpdateOrder: String, CaseIterable, Sendable {
    /// Standard backpropagation: all gradients from the parameters as they were before
    /// the step, then every layer is updated.
    case deferred
    /// From the output layer backwards, each layer is updated as soon as its gradient is
    /// known; the delta of the layer below then uses this layer's updated weights.
    case immediate
}

/// Initial-weight schemes (the formulas of torch.nn.init).
public enum InitializerName: String, CaseIterable, Sendable {
    case uniform, normal
    case xavierUniform = "xavier_uniform"
    case xavierNormal = "xavier_normal"
    case heUniform = "he_uniform"
    case heNormal = "he_normal"
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    public static var names: [String] { allCases.map(\.rawValue) }
}
