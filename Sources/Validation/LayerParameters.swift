/// One layer's parameters: what a run ends with (`Evaluation.layers` in Running, the
/// results file's `final.layers`) and what `init_from` starts a run from, read back from
/// such a file (the pipeline reads it; validation checks it against the spec).
public struct LayerParameters: Sendable, Equatable {
    public var name: String
    /// (units, inputs): one row per unit, one column per input.
    public var weights: [[Double]]
    /// One value per unit (a shared bias repeated), or nil for a layer without bias.
    public var bias: [Double]?
    public var biasShared: Bool

    public init(name: String, weights: [[Double]], bias: [Double]?, biasShared: Bool) {
        self.name = name
        self.weights = weights
        self.bias = bias
        self.biasShared = biasShared
    }
}
