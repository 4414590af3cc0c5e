/// Samples' values as one row-major block of Float64, (rows, columns), filled once when
/// planned and never changed after. A plan and the workspace of its run share the block
/// instead of copying it: for a large data set that copy would double the memory the
/// data takes while training.
///
/// `@unchecked Sendable`: the storage is written only in `init`.
public final class SampleMatrix: RandomAccessCollection, @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    /// Read-only after `init` (mutable only so the runner can hand out row pointers of
    /// the same type as its own buffers).
    public let storage: UnsafeMutableBufferPointer<Double>

    /// `values(row)` gives each row's `columns` values.
    public init(rows: Int, columns: Int, values: (Int) -> [Double]) {
        self.rows = rows
        self.columns = columns
        storage = .allocate(capacity: Swift.max(rows * columns, 1))
        storage.initialize(repeating: 0)
        for row in 0..<rows {
            for (column, value) in values(row).prefix(columns).enumerated() { storage[row * columns + column] = value }
        }
    }

    deinit { storage.deallocate() }

    public var startIndex: Int { 0 }
    public var endIndex: Int { rows * columns }
    public subscript(position: Int) -> Double { storage[position] }
}
