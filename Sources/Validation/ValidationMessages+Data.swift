import Diagnostics
import Spec

/// The catalogue of messages for data sets: listed samples, CSV and .npy files (IDs NN4xxx).
/// Problems inside a file start with the place in it (`data/iris.csv:14:7`, `row 3`).
extension DiagnosticMessage {
    static var noSamples: Self {
        .init(.noSamples, "expected at least one sample, found an empty list",
              fix: "list samples as {inputs: [...], targets: [...]}")
    }

    static func sampleWidth(_ expected: Int, _ noun: String, counted: String, found: Int) -> Self {
        .init(.sampleWidth, "expected \(SpecMessages.count(expected, noun)) (\(counted)), found \(found)",
              fix: "give \(SpecMessages.count(expected, noun))")
    }

    /// What the loss requires of a target row; `place` says where, in a file.
    static func targetRange(_ problem: (message: String, fix: String), place: String = "") -> Self {
        .init(.targetRange, place + problem.message, fix: problem.fix)
    }

    static var missingTargetsOrOneHot: Self {
        .init(.targetsOrOneHot, "missing 'targets' (or 'one_hot') in the CSV data source",
              fix: "add 'targets: [y]' naming target columns, or 'one_hot: {column: label, classes: [a, b]}'")
    }

    static var targetsAndOneHot: Self {
        .init(.targetsOrOneHot, "give either 'targets' or 'one_hot', not both", fix: "remove one of them")
    }

    /// A CSV or .npy file that cannot be read.
    static func dataFileUnreadable(_ kind: String, _ file: String) -> Self {
        .init(.dataFileUnreadable, "cannot read the \(kind) file '\(file)' (paths are relative to the spec's folder)",
              fix: "check the path and the file's permissions")
    }

    static func csvSyntax(place: String, _ problem: String, fix: String) -> Self {
        .init(.csvSyntax, "\(place): not valid CSV: \(problem)", fix: fix)
    }

    static func csvInferredClassCount(_ file: String, classes: [String], units: Int) -> Self {
        let shown = classes.prefix(12).map { "'\($0)'" }.joined(separator: ", ") + (classes.count > 12 ? ", ..." : "")
        return .init(.inferredClassCount,
                     "'\(file)' has \(SpecMessages.count(classes.count, "distinct label")) (\(shown)), so one_hot infers \(classes.count == 1 ? "1 class" : "\(classes.count) classes"); the output layer has \(SpecMessages.count(units, "unit")), one per class",
                     fix: "give the output layer \(SpecMessages.count(classes.count, "unit")), or list the classes: one_hot: {column: ..., classes: [...]}")
    }

    static func npzArchive(_ file: String, _ problem: String, fix: String) -> Self {
        .init(.npzArchive, "'\(file)' \(problem)", fix: fix)
    }

    static func npzMember(_ file: String, name: String, members: [String]) -> Self {
        .init(.npzMember, "'\(file)' holds no array '\(name)'", suggesting: Suggestion.closest(to: name, in: members),
              fix: members.isEmpty ? "save the arrays with numpy.savez(path, x=inputs, y=targets)"
                  : "its arrays are \(Suggestion.list(members))")
    }

    static func inexactInteger(_ file: String, place: String, value: String, count: Int) -> Self {
        .init(.inexactInteger,
              "'\(file)' \(place) (counting from 0): the integer \(value) is beyond 2^53 and has no exact Float64 value"
                  + (count > 1 ? " (\(count) such values in all)" : ""),
              fix: "scale the values into the range of -2^53 to 2^53, or save them as floats if rounding is acceptable (x.astype(numpy.float64))")
    }

    static func unknownColumn(_ file: String, _ name: String, header: [String]) -> Self {
        .init(.unknownColumn, "'\(file)' has no column '\(name)'", suggesting: Suggestion.closest(to: name, in: header),
              fix: "its columns are \(Suggestion.list(header))")
    }

    static func csvTooFewFields(place: String, counts: String) -> Self {
        .init(.csvRow, "\(place): \(counts)",
              fix: "write one field per column, separated by commas (an empty field is still written: 1,,3)")
    }

    static func csvTooManyFields(place: String, counts: String, extra: String, field: Int) -> Self {
        .init(.csvRow, "\(place): \(counts); field \(field) is '\(extra)'",
              fix: "remove the extra fields or name their columns in the header; quote a field that holds a comma (\"a,b\"), and write decimals with a point (0.5, not 0,5)")
    }

    static func csvNotANumber(place: String, field: Int, column: String, found: String) -> Self {
        .init(.csvRow, "\(place): field \(field) ('\(column)'): expected a number, found '\(found)'",
              fix: NumberSyntax.correction(for: found) ?? "write a decimal number such as 5.1")
    }

    static func csvUnknownClass(place: String, field: Int, column: String, label: String, classes: [String]) -> Self {
        .init(.csvRow, "\(place): field \(field) ('\(column)'): class '\(label)' is not one of \(Suggestion.list(classes))",
              fix: "add it to one_hot.classes, or correct the file")
    }

    static func csvMoreProblems(_ file: String, _ count: Int) -> Self {
        .init(.csvRow, "'\(file)': \(count) more problems not listed")
    }

    static func csvNoRows(_ file: String) -> Self {
        .init(.noSamples, "'\(file)' has a header but no data rows", fix: "add one row per sample")
    }

    static func npyFormat(_ file: String, _ problem: String, fix: String?) -> Self {
        .init(.npyFormat, "'\(file)' \(problem)", fix: fix)
    }

    static func npyShape(_ file: String, _ message: String, fix: String) -> Self {
        .init(.npyShape, "'\(file)' \(message)", fix: fix)
    }

    static func nonFiniteValue(_ file: String, place: String, found: Double, count: Int) -> Self {
        .init(.nonFiniteValue,
              "'\(file)' \(place) (counting from 0): expected a finite number, found \(found)"
                  + (count > 1 ? " (\(count) non-finite values in all)" : ""),
              fix: "replace or drop the non-finite values before saving (numpy.isfinite finds them)")
    }

    /// `binary`: one output unit, whose labels are 0 and 1.
    static func classLabelRange(_ file: String, row: Int, label: String, classes: Int, binary: Bool = false,
                                count: Int) -> Self {
        let range = binary ? "so labels must be 0 or 1 (binary classification)"
            : classes == 1 ? "so the only valid label is 0" : "so labels must be 0 to \(classes - 1)"
        let units = binary ? 1 : classes
        return .init(.classLabelRange,
                     "'\(file)' row \(row) (counting from 0): class label \(label) is out of range; the output layer has \(SpecMessages.count(units, "unit")), \(range)"
                         + (count > 1 ? " (\(count) labels out of range in all)" : ""),
                     fix: binary ? "give the labels 0 and 1, or give the output layer one unit per class"
                         : classes == 1
                         ? "with one output unit, save the targets as floats (y.astype(numpy.float64)) to use 0 and 1 as target values"
                         : "correct the labels, or give the output layer one unit per class")
    }

    static func rowCountMismatch(targets: String, targetRows: Int, inputs: String, inputRows: Int) -> Self {
        .init(.rowCountMismatch,
              "'\(targets)' has \(SpecMessages.count(targetRows, "row")) but '\(inputs)' has \(inputRows); expected one row of targets per row of inputs",
              fix: "save both arrays from the same samples (x.shape[0] == y.shape[0])")
    }

    static func npyNoSamples(_ file: String, shape: String) -> Self {
        .init(.noSamples, "'\(file)' has shape \(shape): no samples; expected at least one row",
              fix: "save an array with one row per sample")
    }
}
