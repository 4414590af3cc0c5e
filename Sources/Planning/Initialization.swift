import Validation

/// Draws initial weights with torch.nn.init's formulas from the project's own
/// `RandomSource`, so the same spec gives the same weights everywhere.
///
/// fan_in = the layer's inputs, fan_out = its units; gain 1 for Xavier, sqrt(2) (relu)
/// for He. Values are drawn row by row (unit by unit), input by input:
///
///     uniform(low, high)   low + (high - low) u
///     normal(mean, std)    mean + std z
///     xavier_uniform       U(-a, a),  a = sqrt(6 / (fan_in + fan_out))
///     xavier_normal        N(0, s^2), s = sqrt(2 / (fan_in + fan_out))
///     he_uniform           U(-a, a),  a = sqrt(6 / fan_in)
///     he_normal            N(0, s^2), s = sqrt(2 / fan_in)
public enum Initialization {
    public static func weights(_ initializer: ValidatedSpec.Initializer, units: Int, inputs: Int,
                               seed: UInt64) -> [[Double]] {
        var random = RandomSource(seed: seed)
        let fanIn = Double(inputs), fanOut = Double(units)
        let draw: (inout RandomSource) -> Double
        switch initializer {
        case .uniform(let low, let high):
            draw = { $0.uniform(low: low, high: high) }
        case .normal(let mean, let std):
            draw = { $0.normal(mean: mean, std: std) }
        case .xavierUniform:
            let a = (6 / (fanIn + fanOut)).squareRoot()
            draw = { $0.uniform(low: -a, high: a) }
        case .xavierNormal:
            let s = (2 / (fanIn + fanOut)).squareRoot()
            draw = { $0.normal(mean: 0, std: s) }
        case .heUniform:
            let a = (6 / fanIn).squareRoot()
            draw = { $0.uniform(low: -a, high: a) }
        case .heNormal:
            let s = (2 / fanIn).squareRoot()
            draw = { $0.normal(mean: 0, std: s) }
        }
        return (0..<units).map { _ in (0..<inputs).map { _ in draw(&random) } }
    }
}

/// Seeds for what names none, derived from the spec-level seed:
/// the layer at 0-based position l gets output number l + 1 of SplitMix64 started at the
/// spec seed (layer 0 the first output, layer 1 the second); the
/// shuffle gets the first output of SplitMix64 started at seed XOR 0x5348554646 ("SHUFF").
public enum SeedDerivation {
    public static func layer(_ index: Int, specSeed: UInt64) -> UInt64 {
        var generator = SplitMix64(state: specSeed)
        var value: UInt64 = 0
        for _ in 0...index { value = generator.next() }
        return value
    }

    public static func shuffle(specSeed: UInt64) -> UInt64 {
        RandomSource.splitMix64(specSeed ^ 0x53_4855_4646)
    }
}
