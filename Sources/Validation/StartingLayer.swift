/// One layer's final parameters in a results file: what `init_from` starts a run from.
/// The pipeline reads the file (Results' JSON reader); validation checks it against the spec.
public struct StartingLayer: Sendable, Equatable {
    public var name: String
    /// One row per unit, one column per input.
    public var weights: [[Double]]
    /// nil: the layer has no bias.
    public var bias: [Double]?
    public var biasShared: Bool

    public init(name: String, weights: [[Double]], bias: [Double]?, biasShared: Bool) {
        self.name = name
        self.weights = weights
        self.bias = bias
        self.biasShared = biasShared
    }

    /// Why a results file gives no parameters ("is not JSON: line 3, column 1: ...").
    public struct ReadProblem: Error, Sendable, Equatable {
        public var message: String

        public init(_ message: String) { self.message = message }
    }

    /// The reader of a validator given none: every file is unreadable.
    public static let noResults: @Sendable (String) -> Result<[StartingLayer], ReadProblem> = { _ in
        .failure(ReadProblem("no results file can be read here"))
    }
}
