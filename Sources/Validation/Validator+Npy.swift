import DataFiles
import Diagnostics
import Spec

/// Samples from NumPy arrays: two .npy files, `{npy: {inputs: PATH, targets: PATH}}`, or two
/// arrays of a .npz archive, `{npz: {file: PATH, inputs: NAME, targets: NAME}}` (the formats
/// are read by `NpyArray` and `NpzArchive`). The inputs are a float or integer array of shape
/// (N, model.inputs), integers converted exactly to Float64; the targets a float array of
/// shape (N, units of the output layer), or N integer class labels expanded one-hot.
/// Problems are reported at the key that names the array (`data.npy.inputs`,
/// `data.npz.targets`) with the array's name (`'x.npy'`, `'d.npz' array 'x'`); rows and columns
/// count from 0, as NumPy indexes them.
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

    /// An array read from a file, with its name in messages and where the spec names it.
    struct NamedArray {
        var array: NpyArray
        /// `x.npy`, or `d.npz' array 'x` so that messages, which quote a file's name, show
        /// `'d.npz' array 'x'`.
        var name: String
        var location: SourceLocation
        var path: KeyPath
    }

    mutating func npySamples(_ entry: NpyEntry, at path: KeyPath, inputCount: Int?, outputCount: Int?,
                             loss: Loss?) -> [ValidatedSpec.Sample]? {
        let filesPath = path / "npy"
        let inputsFile = require(entry.inputs, "inputs", in: filesPath, at: entry.location, example: "inputs: data/x.npy")
        let targetsFile = require(entry.targets, "targets", in: filesPath, at: entry.location,
                                 example: "targets: data/y.npy")
        let inputs = inputsFile.flatMap { npyArray($0, at: filesPath / "inputs") }
        let targets = targetsFile.flatMap { npyArray($0, at: filesPath / "targets") }
        return arraySamples(inputs: inputs, targets: targets, inputCount: inputCount, outputCount: outputCount, loss: loss)
    }

    mutating func npzSamples(_ entry: NpzEntry, at path: KeyPath, inputCount: Int?, outputCount: Int?,
                             loss: Loss?) -> [ValidatedSpec.Sample]? {
        let archivePath = path / "npz"
        let file = require(entry.file, "file", in: archivePath, at: entry.location, example: "file: data/d.npz")
        let inputsName = require(entry.inputs, "inputs", in: archivePath, at: entry.location, example: "inputs: x")
        let targetsName = require(entry.targets, "targets", in: archivePath, at: entry.location, example: "targets: y")
        guard let file else { return nil }
        guard let bytes = readFile(file.value) else {
            error(at: file.location, archivePath / "file", .dataFileUnreadable(".npz", file.value))
            return nil
        }
        let archive: NpzArchive
        do {
            archive = try NpzArchive(bytes)
        } catch {
            self.error(at: file.location, archivePath / "file", .npzArchive(file.value, error.message, fix: error.fix))
            return nil
        }
        func member(_ name: Located<String>?, _ key: String) -> NamedArray? {
            guard let name else { return nil }
            switch archive.array(named: name.value) {
            case nil:
                error(at: name.location, archivePath / key, .npzMember(file.value, name: name.value, members: archive.names))
                return nil
            case .failure(let problem)?:
                error(at: name.location, archivePath / key, .npzArchive(file.value, problem.message, fix: problem.fix))
                return nil
            case .success(let array)?:
                return NamedArray(array: array, name: "\(file.value)' array '\(name.value)", location: name.location,
                                  path: archivePath / key)
            }
        }
        let inputs = member(inputsName, "inputs")
        let targets = member(targetsName, "targets")
        return arraySamples(inputs: inputs, targets: targets, inputCount: inputCount, outputCount: outputCount, loss: loss)
    }

    /// One sample per row of the inputs and targets arrays, which must have as many rows.
    private mutating func arraySamples(inputs: NamedArray?, targets: NamedArray?, inputCount: Int?, outputCount: Int?,
                                       loss: Loss?) -> [ValidatedSpec.Sample]? {
        let inputRows = inputs.flatMap { npyInputs($0, inputCount: inputCount) }
        let targetRows = targets.flatMap { npyTargets($0, outputCount: outputCount, loss: loss) }
        guard let inputs, let targets, let inputRows, let targetRows else { return nil }
        guard inputRows.count == targetRows.count else {
            error(at: targets.location, targets.path,
                  .rowCountMismatch(targets: targets.name, targetRows: targetRows.count, inputs: inputs.name,
                                    inputRows: inputRows.count))
            return nil
        }
        return (0..<inputRows.count).map { .init(inputs: inputRows.row($0), targets: targetRows.row($0)) }
    }

    /// The array in the file, or a diagnostic saying why it cannot be read.
    private mutating func npyArray(_ file: Located<String>, at path: KeyPath) -> NamedArray? {
        guard let bytes = readFile(file.value) else {
            error(at: file.location, path, .dataFileUnreadable(".npy", file.value))
            return nil
        }
        switch NpyArray.read(bytes) {
        case .success(let array):
            return NamedArray(array: array, name: file.value, location: file.location, path: path)
        case .failure(let problem):
            error(at: file.location, path, .npyFormat(file.value, problem.message, fix: problem.fix))
            return nil
        }
    }

    private mutating func npyInputs(_ named: NamedArray, inputCount: Int?) -> Rows? {
        let array = named.array, shape = array.shape
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
            error(at: named.location, named.path,
                  .npyShape(named.name, "has shape \(NpyArray.describe(shape: shape)); expected \(expected)", fix: fix))
            return nil
        }
        guard let values = exactValues(named, oneDimensional: shape.count == 1, columns: columns),
              let rows = nonEmpty(Rows(count: shape[0], columns: columns, values: values), named),
              allFinite(rows, oneDimensional: shape.count == 1, named)
        else { return nil }
        return rows
    }

    /// The elements as Float64: floats as they are, integers converted exactly. An integer
    /// beyond 2^53 in magnitude has an exact Float64 only when its low bits are zeros; any
    /// other is reported (with its place and how many there are) rather than rounded.
    private mutating func exactValues(_ named: NamedArray, oneDimensional: Bool, columns: Int) -> [Double]? {
        var firstInexact: (index: Int, value: String)?
        var inexact = 0
        let values: [Double]
        switch named.array.elements {
        case .float(let floats):
            return floats
        case .signed(let integers):
            values = integers.enumerated().map { index, integer in
                let value = Double(integer)
                if Int64(exactly: value) != integer {
                    if firstInexact == nil { firstInexact = (index, "\(integer)") }
                    inexact += 1
                }
                return value
            }
        case .unsigned(let integers):
            values = integers.enumerated().map { index, integer in
                let value = Double(integer)
                if UInt64(exactly: value) != integer {
                    if firstInexact == nil { firstInexact = (index, "\(integer)") }
                    inexact += 1
                }
                return value
            }
        }
        if let firstInexact {
            let place = oneDimensional ? "row \(firstInexact.index)"
                : "row \(firstInexact.index / columns), column \(firstInexact.index % columns)"
            error(at: named.location, named.path, .inexactInteger(named.name, place: place, value: firstInexact.value, count: inexact))
            return nil
        }
        return values
    }

    private mutating func npyTargets(_ named: NamedArray, outputCount: Int?, loss: Loss?) -> Rows? {
        let array = named.array, shape = array.shape
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
                error(at: named.location, named.path,
                      .npyShape(named.name, "has shape \(NpyArray.describe(shape: shape)); expected \(expected)", fix: fix))
                return nil
            }
            guard let nonEmpty = nonEmpty(Rows(count: shape[0], columns: columns, values: values), named),
                  allFinite(nonEmpty, oneDimensional: shape.count == 1, named)
            else { return nil }
            rows = nonEmpty
        case .signed, .unsigned:
            guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
                let units = outputCount.map { "the output layer's \(SpecMessages.count($0, "unit"))" } ?? "the output layer's units"
                error(at: named.location, named.path,
                      .npyShape(named.name, "holds integer class labels ('\(array.descr)') of shape \(NpyArray.describe(shape: shape)); expected shape (N,) or (N, 1): one label per sample, expanded one-hot to \(units)",
                                fix: "save the labels as a 1-D array, or the targets as floats (y.astype(numpy.float64)) of shape (samples, units)"))
                return nil
            }
            // Format 2, one output unit: labels 0 and 1 of a binary classifier, the targets themselves.
            let binary = format == 2 && outputCount == 1
            guard let outputCount, let labels = oneHot(named, classes: binary ? 2 : outputCount, binary: binary),
                  let nonEmpty = nonEmpty(labels, named)
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
                error(at: named.location, named.path, .targetRange(problem, place: "'\(named.name)' row \(first.row) (counting from 0): "))
                return nil
            }
        }
        return rows
    }

    /// Integer labels expanded into `classes` targets each: 1 for the row's class, 0 elsewhere;
    /// `binary` (two classes, one output unit): the label 0 or 1 is the one target.
    private mutating func oneHot(_ named: NamedArray, classes: Int, binary: Bool = false) -> Rows? {
        let array = named.array
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
            error(at: named.location, named.path, .classLabelRange(named.name, row: bad, label: value, classes: classes, binary: binary, count: failing))
            return nil
        }
        if binary { return Rows(count: labels.count, columns: 1, values: labels.map { Double($0 ?? 0) }) }
        var values = [Double](repeating: 0, count: labels.count * classes)
        for (row, label) in labels.enumerated() {
            if let label { values[row * classes + label] = 1 }
        }
        return Rows(count: labels.count, columns: classes, values: values)
    }

    private mutating func nonEmpty(_ rows: Rows, _ named: NamedArray) -> Rows? {
        guard rows.count == 0 else { return rows }
        error(at: named.location, named.path, .npyNoSamples(named.name, shape: NpyArray.describe(shape: named.array.shape)))
        return nil
    }

    /// Reports the first value that is NaN or infinite, and how many there are.
    private mutating func allFinite(_ rows: Rows, oneDimensional: Bool, _ named: NamedArray) -> Bool {
        guard let first = rows.values.firstIndex(where: { !$0.isFinite }) else { return true }
        let failing = rows.values.lazy.filter { !$0.isFinite }.count
        let place = oneDimensional ? "row \(first)" : "row \(first / rows.columns), column \(first % rows.columns)"
        error(at: named.location, named.path, .nonFiniteValue(named.name, place: place, found: rows.values[first], count: failing))
        return false
    }
}
