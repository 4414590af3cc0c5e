/// A validation set carved out of the data (`validation: {split: F, seed: S}`).
///
/// With n samples, count = floor(F * n) (one binary64 product, as Python's
/// `math.floor(F * n)`), 1 <= count <= n - 1. Without a seed the validation samples are
/// the last `count` in data order (Keras' `validation_split`). With a seed, p is nnrun's
/// permutation of 0..<n drawn with a generator seeded with S (`RandomSource.permutation`,
/// Docs/random.md) and the validation samples are p[0..<count]. Either way both sets
/// keep data order (ascending indices). Docs/spec-format.md has the Python that
/// reproduces it.
public struct ValidationSplit: Sendable, Equatable {
    public var fraction: Double
    public var seed: UInt64?
    /// The samples of the data, before the split.
    public var dataCount: Int
    /// 0-based indices into the data of the validation samples, ascending.
    public var validationIndices: [Int]

    /// The other samples' indices, ascending: the training set.
    public var trainingIndices: [Int] {
        var held = [Bool](repeating: false, count: dataCount)
        for index in validationIndices { held[index] = true }
        return (0..<dataCount).filter { !held[$0] }
    }

    /// floor(fraction * n), the number of samples held out.
    public static func validationCount(fraction: Double, of count: Int) -> Int {
        let product = (fraction * Double(count)).rounded(.down)
        return product.isFinite && product >= 0 && product <= Double(count) ? Int(product) : 0
    }

    public init(fraction: Double, seed: UInt64?, dataCount: Int) {
        self.fraction = fraction
        self.seed = seed
        self.dataCount = dataCount
        let count = Self.validationCount(fraction: fraction, of: dataCount)
        if let seed {
            var generator = RandomSource(seed: seed)
            validationIndices = generator.permutation(dataCount).prefix(count).sorted()
        } else {
            validationIndices = Array((dataCount - count)..<dataCount)
        }
    }
}
