import Foundation
import Spec
import SwiftCSV

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
        var text = String(decoding: bytes, as: UTF8.self)
        // As for training data: a last row without a line break reads like the others.
        if let last = text.last, !last.isNewline { text.append("\n") }
        var lines: [[String]] = []
        do {
            let table = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
            lines.append(table.header)
            try table.enumerateAsArray(startAt: 1, rowLimit: nil) { lines.append($0) }
            text = table.text
        } catch {
            var problem = "\(error)"
            if let error = error as? CSVParseError {
                switch error {
                case .generic(let message), .quotation(let message): problem = message
                }
            }
            return .failure(Problem(place: name, message: "not valid CSV: \(problem)", fix: "check the file's quoting"))
        }
        let locator = CSVLocator(text)
        guard let first = lines.first, !(first.isEmpty || first == [""]) || lines.count > 1 else {
            return .failure(Problem(place: "\(name):1:1", message: "the file is empty",
                                    fix: "write one row per sample" + (columnsHint(columns).map { ", under a header: \($0)" } ?? "")))
        }
        // The fields read, with the header's: where each input is.
        let indices: [Int], hasHeader: Bool, width: Int
        switch columns {
        case .named(let names):
            hasHeader = true
            width = first.count
            var found: [Int] = []
            for wanted in names {
                guard let index = first.firstIndex(where: { $0 == wanted }) else {
                    return .failure(Problem(
                        place: "\(name):1:1", message: "the header has no column '\(wanted)' (it has \(first.map { "'\($0)'" }.joined(separator: ", ")))",
                        fix: "the spec's data reads the inputs from columns named \(names.map { "'\($0)'" }.joined(separator: ", ")); write them in the first line"))
                }
                found.append(index)
            }
            indices = found
        case .positional(let count):
            hasHeader = !first.allSatisfy { isNumber($0) }
            width = count
            indices = Array(0..<count)
        }
        var rows: [[Double]] = []
        var line = 1
        for (index, fields) in lines.enumerated() {
            let rowLine = line
            line += CSVLocator.lineCount(of: fields)
            if index == 0 && hasHeader { continue }
            if fields == [""] { continue }   // a blank line holds no sample, as for training data
            func place(_ field: Int) -> String { "\(name):\(locator.place(ofField: field, inRowAt: rowLine))" }
            guard fields.count == width else {
                let expected = hasHeader ? "the header has \(width)" : "expected \(width), one per input (model.inputs is \(width))"
                let at = fields.count < width ? fields.count : width
                return .failure(Problem(place: place(at), message: "the row has \(fields.count) field\(fields.count == 1 ? "" : "s"); \(expected)",
                                        fix: "write one field per column, separated by commas; decimals with a point (0.5, not 0,5)"))
            }
            var values: [Double] = []
            for column in indices {
                let cell = fields[column].trimmingCharacters(in: .whitespaces)
                guard isNumber(cell), let value = Double(cell) else {
                    let header = hasHeader ? " ('\(first[column])')" : ""
                    return .failure(Problem(place: place(column), message: "field \(column + 1)\(header): expected a number, found '\(cell)'",
                                            fix: NumberSyntax.correction(for: cell) ?? "write a decimal number such as 5.1"))
                }
                values.append(value)
            }
            rows.append(values)
        }
        guard !rows.isEmpty else {
            return .failure(Problem(place: "\(name):\(line):1", message: "no rows of inputs after the header",
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
        guard case .float(let values) = array.elements else {
            return .failure(Problem(place: name, message: "holds integers ('\(array.descr)'); expected float64 ('<f8') or float32 ('<f4') inputs",
                                    fix: "save the inputs as floats: numpy.save(path, x.astype(numpy.float64))"))
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
}
