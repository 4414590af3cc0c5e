import Spec

/// `data.scale`, fitted on the training samples: each input x[j] becomes
/// (x[j] - offset[j]) / scale[j], two IEEE operations, the same in every tool that applies
/// it (the runner's samples, `predict`, the ONNX graph's Sub and Div, the PyTorch script).
///
/// With the training inputs x[s][j], s = 0..<n in data order (after the split), every sum
/// a plain addition in index order from +0.0 (as every sum without products in nnrun,
/// Docs/performance.md):
/// - standardize: offset = mean = (sum_s x[s][j]) / n; scale = sqrt((sum_s d_s * d_s) / n)
///   with d_s = x[s][j] - mean (the population standard deviation, ddof 0, sklearn's
///   StandardScaler), each d_s * d_s rounded before it is added (no fused multiply-add).
/// - minmax: offset = min_s x[s][j]; scale = max_s x[s][j] - min_s x[s][j] (sklearn's
///   MinMaxScaler maps to [0, 1] the same way, written as x * (1 / range) - min / range:
///   the same values up to rounding).
/// - A constant column (scale 0) gets scale 1, as sklearn does: it becomes x - offset (0 on
///   the training samples).
public struct InputScaling: Sendable, Equatable {
    public var method: ScalingMethod
    /// Subtracted from each input column: the mean or the minimum.
    public var offset: [Double]
    /// Each input column is divided by it after the subtraction: the standard deviation
    /// or the range, 1 for a constant column.
    public var scale: [Double]

    public init(method: ScalingMethod, offset: [Double], scale: [Double]) {
        self.method = method
        self.offset = offset
        self.scale = scale
    }

    /// Fits `method` on `inputs` (one row per training sample, `columns` values each; at least one row).
    public init(fitting method: ScalingMethod, to inputs: [[Double]], columns: Int) {
        self.method = method
        let n = Double(inputs.count)
        var offset = [Double](repeating: 0, count: columns)
        var scale = [Double](repeating: 1, count: columns)
        for j in 0..<columns {
            switch method {
            case .standardize:
                var sum = 0.0
                for row in inputs { sum += row[j] }
                let mean = sum / n
                var squares = 0.0
                for row in inputs {
                    let d = row[j] - mean
                    let square = d * d
                    squares += square
                }
                offset[j] = mean
                scale[j] = (squares / n).squareRoot()
            case .minmax:
                var low = inputs.first?[j] ?? 0, high = low
                for row in inputs {
                    low = Swift.min(low, row[j])
                    high = Swift.max(high, row[j])
                }
                offset[j] = low
                scale[j] = high - low
            }
            if scale[j] == 0 { scale[j] = 1 }
        }
        self.offset = offset
        self.scale = scale
    }

    /// (x[j] - offset[j]) / scale[j] for each input.
    public func apply(_ inputs: [Double]) -> [Double] {
        inputs.indices.map { j in (inputs[j] - offset[j]) / scale[j] }
    }
}
