import Validation

/// Every intermediate value of one training step, as the runner computed it. Reports
/// (the results file, explain) read these numbers; they never recompute them.
public struct TraceStep: Sendable {
    /// The step (1 = the first update).
    public var step: Int
    /// The batch loss before this step's update (the mean over its samples).
    public var loss: Double
    /// The step's batch, in batch order.
    public var samples: [SampleTrace]
    /// In network order, input side first.
    public var layers: [LayerTrace]
}

public struct SampleTrace: Sendable {
    /// The sample's index in the training data (0-based).
    public var index: Int
    /// E_s: this sample's loss.
    public var loss: Double
    /// Each output's term of E_s (for half_squared_error, 1/2 (t - o)^2).
    public var outputTerms: [Double]
}

public struct LayerTrace: Sendable {
    public var name: String
    /// Per sample of the batch, one value per unit: net input, output, dE_s/dout,
    /// dout/dnet and delta = dE_s/dnet (without the 1/batch factor). For an output layer
    /// trained with binary_cross_entropy or cross_entropy, dOut is dE_s/dnet and the
    /// slope is 1 (the loss differentiates through the activation).
    public var net: [[Double]]
    public var out: [[Double]]
    public var dOut: [[Double]]
    public var slope: [[Double]]
    public var delta: [[Double]]
    /// dE_batch/dW, (units, inputs).
    public var weightGradient: [[Double]]
    /// dE_batch/db: one value for a shared bias, one per unit otherwise; nil without bias.
    public var biasGradient: [Double]?
    /// Parameters after this step's update.
    public var weights: [[Double]]
    /// One value per unit (a shared bias repeated), or nil.
    public var bias: [Double]?
    /// The optimizer's memory after this step's update, laid out like the parameters:
    /// SGD's or RMSprop's momentum buffer or Adam's first moment m (nil for plain SGD),
    /// and Adam's second moment v or RMSprop's mean square (nil otherwise). Explain shows them; the results file does not.
    public var firstMoment: LayerParameters?
    public var secondMoment: LayerParameters?
    /// Centered RMSprop's mean gradient (nil otherwise).
    public var gradientAverage: LayerParameters? = nil
}
