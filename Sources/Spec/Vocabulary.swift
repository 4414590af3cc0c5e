/// The names a spec may use for activations, losses, optimizers and orderings.
/// Their mathematics lives with the runner (`Running/Activation+Math.swift`, ...).

public enum Activation: String, CaseIterable, Sendable {
    case sigmoid, tanh, relu, linear
}

public enum Loss: String, CaseIterable, Sendable {
    /// Per sample: sum over outputs of 1/2 (t - o)^2.
    case halfSquaredError = "half_squared_error"
}

public enum Optimizer: String, CaseIterable, Sendable {
    case sgd
}

/// How many samples one step (one parameter update) uses.
public enum Batch: String, CaseIterable, Sendable {
    /// Every sample, every step.
    case full
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

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    public static var names: [String] { allCases.map(\.rawValue) }
}
