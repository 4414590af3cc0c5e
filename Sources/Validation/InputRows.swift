import Foundation
import Spec
import DataFiles

/// A model's inputs read from a file of new samples (`nnrun predict`), by the rules of the
/// spec's training data (Docs/cli.md, "predict"):
///
/// - CSV, when the spec's data is a CSV file: a header naming every column the spec's
///   `inputs:` lists; other columns (targets, labels, ids) are ignored, so the training
///   file itself is valid input.
/// - CSV, when the spec's data is inline or `.npy`: `model.inputs` numbers per row, in the
///   model's input order; a first line that is not all numbers is a header and skipped.
/// - `.npy` (by extension): a float array of shape (N, model.inputs), or (N,) for one input,
///   as for training data.
///
/// Every problem is a `Problem` with its place: `file:line:column` in a CSV file, the file
/// in a `.npy` file (whose message names the row and column, counted from 0).
public enum InputRows {
    /// Which columns of a CSV file hold the inputs.
    public enum Columns: Sendable, Equatable {
        /// Named in a header, in the model's input order.
        case named([String])
        /// The first `count` fields, in order; the header is optional.
        case positional(count: Int)
    }

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The file and the place in it: `new.csv:3:5`, or the file alone.
        public var place: String
        public var message: String
        public var fix: String
        /// `new.csv:3:5: error: field 2 ('b'): expected a number, found 'x'`, then the fix.
        public var description: String { "\(place): error: \(message)\n  fix: \(fix)" }
    }

    /// The columns of the spec's training data: named when it reads a CSV file that names them.
    public static func columns(of spec: Spec, inputCount: Int) -> Columns {
        if case .csv(let csv)? = spec.data?.value, let names = csv.inputs?.value, names.count == inputCount {
            return .named(names.map(\.value))
        }
        return .positional(count: inputCount)
    }

    /// The rows of the file `name` (its bytes): `.npy` by its extension, CSV otherwise.
    public static func read(_ bytes: [UInt8], name: String, columns: Columns) -> Result<[[Double]], Problem> {
        name.lowercased().hasSuffix(".npy") ? npy(bytes, name: name, columns: columns) : csv(bytes, name: name, columns: columns)
    }

    // MARK: CSV

    private static func csv(_ bytes: [UInt8], name: String, columns: Columns) -> Result<[[Double]], Problem> {
        var header: [String]?
        var indices: [Int] = [], width = 0
        var rows: [[Double]] = []
        var lastLine = 1
        var problem: Problem?
        do {
            try CSVFile(bytes).forEachRow { row in
                lastLine = row.line + 1
                func place(_ field: Int) -> String { "\(name):\(row.place(ofField: field))" }
                if rows.isEmpty && header == nil && indices.isEmpty {
                    // The first row: a header, or (for positional columns) a first row of numbers.
                    let fields = (0..<row.count).map(row.text)
                    switch columns {
                    case .named(let names):
                        header = fields
                        width = fields.count
                        for wanted in names {
                            guard let index = fields.firstIndex(of: wanted) else {
                                problem = Problem(
                                    place: "\(name):1:1", message: "the header has no column '\(wanted)' (it has \(fields.map { "'\($0)'" }.joined(separator: ", ")))",
                                    fix: "the spec's data reads the inputs from columns named \(names.map { "'\($0)'" }.joined(separator: ", ")); write them in the first line")
                                return false
                            }
                            indices.append(index)
                        }
                        return true
                    case .positional(let count):
                        width = count
                        indices = Array(0..<count)
                        if !fields.allSatisfy(isNumber) {
                            header = fields
                            return true
                        }
                    }
                }
                if row.isBlank { return true }   // a blank line holds no sample, as for training data
                guard row.count == width else {
                    let expected: String
                    if header != nil { expected = "the header has \(width)" } else {
                        expected = "expected \(width), one per input (model.inputs is \(width))"
                    }
                    problem = Problem(place: place(min(row.count, width)),
                                      message: "the row has \(row.count) field\(row.count == 1 ? "" : "s"); \(expected)",
                                      fix: "write one field per column, separated by commas; decimals with a point (0.5, not 0,5)")
                    return false
                }
                var values: [Double] = []
                values.reserveCapacity(indices.count)
                for column in indices {
                    let cell = Validator.trimmed(row.text(column))
                    guard let value = row.withValue(column, Validator.csvNumber) else {
                        let named = header.map { " ('\($0[column])')" } ?? ""
                        problem = Problem(place: place(column), message: "field \(column + 1)\(named): expected a number, found '\(cell)'",
                                          fix: NumberSyntax.correction(for: cell) ?? "write a decimal number such as 5.1")
                        return false
                    }
                    values.append(value)
                }
                rows.append(values)
                return true
            }
        } catch {
            return .failure(Problem(place: "\(name):\(error.line):\(error.column)", message: "not valid CSV: \(error.message)", fix: error.fix))
        }
        if let problem { return .failure(problem) }
        if header == nil && rows.isEmpty {
            return .failure(Problem(place: "\(name):1:1", message: "the file is empty",
                                    fix: "write one row per sample" + (columnsHint(columns).map { ", under a header: \($0)" } ?? "")))
        }
        guard !rows.isEmpty else {
            return .failure(Problem(place: "\(name):\(lastLine):1", message: "no rows of inputs after the header",
                                    fix: "write one row per sample under the header"))
        }
        return .success(rows)
    }

    /// A finite number in the spec's grammar (JSON's): what a CSV field of inputs must hold.
    private static func isNumber(_ text: String) -> Bool {
        let cell = text.trimmingCharacters(in: .whitespaces)
        return NumberSyntax.isJSONNumber(cell) && (Double(cell)?.isFinite ?? false)
    }

    private static func columnsHint(_ columns: Columns) -> String? {
        if case .named(let names) = columns { return names.joined(separator: ",") }
        return nil
    }

    // MARK: .npy

    private static func npy(_ bytes: [UInt8], name: String, columns: Columns) -> Result<[[Double]], Problem> {
        let inputCount: Int
        switch columns {
        case .named(let names): inputCount = names.count
        case .positional(let count): inputCount = count
        }
        let array: NpyArray
        switch NpyArray.read(bytes) {
        case .success(let read): array = read
        case .failure(let problem): return .failure(Problem(place: name, message: problem.message, fix: problem.fix))
        }
        // As for training inputs: floats as they are, integers converted exactly.
        let values: [Double]
        switch array.elements {
        case .float(let floats): values = floats
        case .signed(let integers):
            if let bad = integers.firstIndex(where: { Int64(exactly: Double($0)) != $0 }) {
                return .failure(inexact(name, bad, "\(integers[bad])", inputCount))
            }
            values = integers.map(Double.init)
        case .unsigned(let integers):
            if let bad = integers.firstIndex(where: { UInt64(exactly: Double($0)) != $0 }) {
                return .failure(inexact(name, bad, "\(integers[bad])", inputCount))
            }
            values = integers.map(Double.init)
        }
        let shape = array.shape
        guard (shape.count == 2 && shape[1] == inputCount) || (shape.count == 1 && inputCount == 1) else {
            return .failure(Problem(
                place: name, message: "has shape \(NpyArray.describe(shape: shape)); expected \(inputCount == 1 ? "(N,) or (N, 1)" : "(N, \(inputCount))"): one row per sample, one column per input (model.inputs is \(inputCount))",
                fix: "save an array of shape (samples, \(inputCount))"))
        }
        guard shape[0] > 0 else {
            return .failure(Problem(place: name, message: "has shape \(NpyArray.describe(shape: shape)): no samples",
                                    fix: "save at least one row of inputs"))
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            return .failure(Problem(place: name, message: "row \(bad / inputCount), column \(bad % inputCount) (counting from 0) is \(values[bad]); inputs must be finite",
                                    fix: "replace or drop the samples with NaN or infinite inputs"))
        }
        return .success((0..<shape[0]).map { Array(values[($0 * inputCount)..<(($0 + 1) * inputCount)]) })
    }

    private static func inexact(_ name: String, _ index: Int, _ value: String, _ columns: Int) -> Problem {
        Problem(place: name, message: "row \(index / columns), column \(index % columns) (counting from 0) is the integer \(value), which has no exact Float64",
                fix: "save inputs whose magnitude is below 2^53, or as floats")
    }
}
