/// A 64-bit linear congruential generator (Knuth's MMIX constants): test data that is the
/// same on every run. Values in [-4, 4) with 53 random bits.
public struct Lcg {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) * 0x1p-53 * 8 - 4
    }
}
