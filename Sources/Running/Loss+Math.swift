import Spec

/// Each loss's per-output term and its derivative, side by side. A sample's loss is
/// the sum of its output terms; a batch's loss is the mean of its samples' losses.
extension Loss {
    /// half_squared_error: 1/2 (t - o)^2.
    @inline(__always)
    public func term(output o: Double, target t: Double) -> Double {
        switch self {
        case .halfSquaredError:
            let difference = t - o
            return 0.5 * difference * difference
        }
    }

    /// dterm/do. half_squared_error: -(t - o).
    @inline(__always)
    public func derivative(output o: Double, target t: Double) -> Double {
        switch self {
        case .halfSquaredError: return -(t - o)
        }
    }
}
