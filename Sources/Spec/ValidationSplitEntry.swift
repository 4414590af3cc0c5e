import Diagnostics

/// `validation: {split: 0.2, seed: N}`: a validation set carved out of `data` rather than
/// given as data of its own (Docs/spec-format.md, "Validation split", says which samples).
public struct ValidationSplitEntry: Sendable {
    public var location: SourceLocation
    /// The fraction of the data held out, 0 < split < 1.
    public var split: Located<Double>?
    /// Without one the held-out samples are the last ones in data order.
    public var seed: Located<Int>?

    public init(location: SourceLocation) { self.location = location }

    public static let keys = ["split", "seed"]
}
