import Spec

/// The order of classes inferred from a CSV label column (`one_hot` without `classes`):
/// output unit k stands for the k-th class of this order.
enum CSVClasses {
    /// The distinct labels sorted: when every label is a number (the spec's number grammar:
    /// `2`, `10`, `-1`, `0.5`), by numeric value, as pandas and NumPy sort a numeric column
    /// (`2` before `10`); otherwise by Unicode code points, as Python's `sorted` and
    /// `numpy.unique` sort strings (`B` before `a`, `10` before `2`). Two different texts of
    /// the same value (`1` and `1.0`) follow their code points.
    static func sorted(_ labels: [String]) -> [String] {
        let values = labels.map { NumberSyntax.isJSONNumber($0) ? Double($0) : nil }
        if !values.contains(where: { $0 == nil }) {
            return zip(labels, values.compactMap { $0 })
                .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
                .map(\.0)
        }
        // UTF-8's byte order is the code points' order.
        return labels.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
