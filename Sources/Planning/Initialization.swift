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

    /// A drawn bias (`uniform` or `normal`): the `units` values a one-input layer's weights
    /// would be, unit by unit.
    public static func biases(_ initializer: ValidatedSpec.Initializer, units: Int, seed: UInt64) -> [Double] {
        weights(initializer, units: units, inputs: 1, seed: seed).flatMap { $0 }
    }
}

/// Seeds for what names none, derived from the spec-level seed:
/// the layer at 0-based position l gets output number l + 1 of SplitMix64 started at the
/// spec seed (layer 0 the first output, layer 1 the second); the
/// shuffle gets the first output of SplitMix64 started at seed XOR 0x5348554646 ("SHUFF");
/// a drawn bias (format 2) of layer l output number l + 1 of SplitMix64 started at seed XOR
/// 0x42494153 ("BIAS").
public enum SeedDerivation {
    public static func layer(_ index: Int, specSeed: UInt64) -> UInt64 {
        output(index + 1, ofSplitMix64At: specSeed)
    }

    public static func bias(_ index: Int, specSeed: UInt64) -> UInt64 {
        output(index + 1, ofSplitMix64At: specSeed ^ 0x4249_4153)
    }

    /// Output number `number` (from 1) of SplitMix64 started at `start`.
    private static func output(_ number: Int, ofSplitMix64At start: UInt64) -> UInt64 {
        var generator = SplitMix64(state: start)
        var value: UInt64 = 0
        for _ in 0..<number { value = generator.next() }
        return value
    }

    public static func shuffle(specSeed: UInt64) -> UInt64 {
        RandomSource.splitMix64(specSeed ^ 0x53_4855_4646)
    }
}
