import DataFiles
import Diagnostics
import Spec

/// Samples from two NumPy .npy files, `{npy: {inputs: PATH, targets: PATH}}` (the format is
/// read by `NpyArray`): the inputs a float array of shape (N, model.inputs), the targets a
/// float array of shape (N, units of the output layer), or N integer class labels expanded
/// one-hot. Problems are reported at the file's key (`data.npy.inputs`, `data.npy.targets`)
/// with the file's name; rows and columns count from 0, as NumPy indexes them.
extension Validator {
    /// A float array as rows of `columns` values, row-major.
    private struct Rows {
        var count: Int
        var columns: Int
        var values: [Double]

        func row(_ index: Int) -> [Double] {
            Array(values[(index * columns)..<((index + 1) * columns)])
        }
    }

    mutating func npySamples(_ entry: NpyEntry, at path: KeyPath, inputCount: Int?, outputCount: Int?,
                             loss: Loss?) -> [ValidatedSpec.Sample]? {
        let filesPath = path / "npy"
        let inputsFile = require(entry.inputs, "inputs", in: filesPath, at: entry.location, example: "inputs: data/x.npy")
        let targetsFile = require(entry.targets, "targets", in: filesPath, at: entry.location,
                                 example: "targets: data/y.npy")
        let inputs = inputsFile.flatMap { npyInputs($0, at: filesPath / "inputs", inputCount: inputCount) }
        let targets = targetsFile.flatMap {
            npyTargets($0, at: filesPath / "targets", outputCount: outputCount, loss: loss)
        }
        guard let inputsFile, let targetsFile, let inputs, let targets else { return nil }
        guard inputs.count == targets.count else {
            error(at: targetsFile.location, filesPath / "targets",
                  .rowCountMismatch(targets: targetsFile.value, targetRows: targets.count, inputs: inputsFile.value, inputRows: inputs.count))
            return nil
        }
        return (0..<inputs.count).map { .init(inputs: inputs.row($0), targets: targets.row($0)) }
    }

    /// The array in the file, or a diagnostic saying why it cannot be read.
    private mutating func npyArray(_ file: Located<String>, at path: KeyPath) -> NpyArray? {
        guard let bytes = readFile(file.value) else {
            error(at: file.location, path, .dataFileUnreadable(".npy", file.value))
            return nil
        }
        switch NpyArray.read(bytes) {
        case .success(let array):
            return array
        case .failure(let problem):
            error(at: file.location, path, .npyFormat(file.value, problem.message, fix: problem.fix))
            return nil
        }
    }

    private mutating func npyInputs(_ file: Located<String>, at path: KeyPath, inputCount: Int?) -> Rows? {
        guard let array = npyArray(file, at: path) else { return nil }
        let shape = array.shape
        guard case .float(let values) = array.elements else {
            error(at: file.location, path,
                  .npyShape(file.value, "holds integers ('\(array.descr)'); expected float64 ('<f8') or float32 ('<f4') inputs",
                            fix: "save the inputs as floats: numpy.save(path, x.astype(numpy.float64))"))
            return nil
        }
        let columns: Int
        switch shape.count {
        case 2 where inputCount == nil || shape[1] == inputCount: columns = shape[1]
        case 1 where inputCount == nil || inputCount == 1: columns = 1
        default:
            let expected: String, fix: String
            if let inputCount {
                expected = (inputCount == 1 ? "(N,) or (N, 1)" : "(N, \(inputCount))")
                    + ": one row per sample, one column per input (model.inputs is \(inputCount))"
                fix = "save an array of shape (samples, \(inputCount))"
                    + (shape.count == 2 && shape[0] == inputCount ? "; if its rows are the inputs, save x.T" : "")
            } else {
                expected = "(N, inputs): one row per sample, one column per input"
                fix = "save a 2-D array with one row per sample"
            }
            error(at: file.location, path, .npyShape(file.value, "has shape \(NpyArray.describe(shape: shape)); expected \(expected)", fix: fix))
            return nil
        }
        guard let rows = nonEmpty(Rows(count: shape[0], columns: columns, values: values), array, file, at: path),
              allFinite(rows, oneDimensional: shape.count == 1, file, at: path)
        else { return nil }
        return rows
    }

    private mutating func npyTargets(_ file: Located<String>, at path: KeyPath, outputCount: Int?, loss: Loss?) -> Rows? {
        guard let array = npyArray(file, at: path) else { return nil }
        let shape = array.shape
        let rows: Rows
        switch array.elements {
        case .float(let values):
            let columns: Int
            switch shape.count {
            case 2 where outputCount == nil || shape[1] == outputCount: columns = shape[1]
            case 1 where outputCount == nil || outputCount == 1: columns = 1
            default:
                let expected = outputCount.map {
                    ($0 == 1 ? "(N,) or (N, 1)" : "(N, \($0))") + ": one row per sample, one column per unit of the output layer (it has \(SpecMessages.count($0, "unit")))"
                } ?? "(N, units): one row per sample, one column per unit of the output layer"
                let fix = outputCount.map {
                    "save an array of shape (samples, \($0)), or integer class labels of shape (samples,) to expand one-hot"
                } ?? "save a 2-D array with one row per sample"
                error(at: file.location, path,
                      .npyShape(file.value, "has shape \(NpyArray.describe(shape: shape)); expected \(expected)", fix: fix))
                return nil
            }
            guard let nonEmpty = nonEmpty(Rows(count: shape[0], columns: columns, values: values), array, file, at: path),
                  allFinite(nonEmpty, oneDimensional: shape.count == 1, file, at: path)
            else { return nil }
            rows = nonEmpty
        case .signed, .unsigned:
            guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
                let units = outputCount.map { "the output layer's \(SpecMessages.count($0, "unit"))" } ?? "the output layer's units"
                error(at: file.location, path,
                      .npyShape(file.value, "holds integer class labels ('\(array.descr)') of shape \(NpyArray.describe(shape: shape)); expected shape (N,) or (N, 1): one label per sample, expanded one-hot to \(units)",
                                fix: "save the labels as a 1-D array, or the targets as floats (y.astype(numpy.float64)) of shape (samples, units)"))
                return nil
            }
            guard let outputCount, let labels = oneHot(array, classes: outputCount, file, at: path),
                  let nonEmpty = nonEmpty(labels, array, file, at: path)
            else { return nil }
            rows = nonEmpty
        }
        if let loss {
            var first: (row: Int, problem: (message: String, fix: String))?
            var failing = 0
            for row in 0..<rows.count {
                guard let problem = Validator.targetProblem(rows.row(row), loss: loss) else { continue }
                if first == nil { first = (row, problem) }
                failing += 1
            }
            if let first {
                let problem = (first.problem.message + (failing > 1 ? " (\(failing) rows in all)" : ""), first.problem.fix)
                error(at: file.location, path, .targetRange(problem, place: "'\(file.value)' row \(first.row) (counting from 0): "))
                return nil
            }
        }
        return rows
    }

    /// Integer labels expanded into `classes` targets each: 1 for the row's class, 0 elsewhere.
    private mutating func oneHot(_ array: NpyArray, classes: Int, _ file: Located<String>, at path: KeyPath) -> Rows? {
        let labels: [Int?]
        switch array.elements {
        case .signed(let values): labels = values.map { $0 >= 0 && $0 < classes ? Int($0) : nil }
        case .unsigned(let values): labels = values.map { $0 < UInt64(classes) ? Int($0) : nil }
        case .float: return nil
        }
        if let bad = labels.firstIndex(of: nil) {
            let value: String
            switch array.elements {
            case .signed(let values): value = "\(values[bad])"
            case .unsigned(let values): value = "\(values[bad])"
            case .float: value = ""
            }
            let failing = labels.lazy.filter { $0 == nil }.count
            error(at: file.location, path, .classLabelRange(file.value, row: bad, label: value, classes: classes, count: failing))
            return nil
        }
        var values = [Double](repeating: 0, count: labels.count * classes)
        for (row, label) in labels.enumerated() {
            if let label { values[row * classes + label] = 1 }
        }
        return Rows(count: labels.count, columns: classes, values: values)
    }

    private mutating func nonEmpty(_ rows: Rows, _ array: NpyArray, _ file: Located<String>, at path: KeyPath) -> Rows? {
        guard rows.count == 0 else { return rows }
        error(at: file.location, path, .npyNoSamples(file.value, shape: NpyArray.describe(shape: array.shape)))
        return nil
    }

    /// Reports the first value that is NaN or infinite, and how many there are.
    private mutating func allFinite(_ rows: Rows, oneDimensional: Bool, _ file: Located<String>, at path: KeyPath) -> Bool {
        guard let first = rows.values.firstIndex(where: { !$0.isFinite }) else { return true }
        let failing = rows.values.lazy.filter { !$0.isFinite }.count
        let place = oneDimensional ? "row \(first)" : "row \(first / rows.columns), column \(first % rows.columns)"
        error(at: file.location, path, .nonFiniteValue(file.value, place: place, found: rows.values[first], count: failing))
        return false
    }
}
