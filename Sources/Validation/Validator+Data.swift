import Diagnostics
import Foundation
import Spec
import SwiftCSV

/// Samples: listed in the spec, read from a CSV file with SwiftCSV, or read from .npy
/// files (`Validator+Npy.swift`); then the checks the loss puts on targets.
extension Validator {
    mutating func samples(_ entry: Located<DataEntry>?, _ key: String, spec: Spec, inputCount: Int?, outputCount: Int?,
                          loss: Loss?, required: Bool) -> [ValidatedSpec.Sample]? {
        guard let data = required
                ? require(entry, key, in: .root, at: spec.location,
                          example: "\(key): [{inputs: [0.05, 0.10], targets: [0.01, 0.99]}]")
                : entry
        else { return nil }
        let path = KeyPath.root / key
        let samples: [ValidatedSpec.Sample]?
        switch data.value {
        case .inline(let entries):
            guard !entries.isEmpty else {
                error(at: data.location, path, .noSamples)
                return nil
            }
            samples = inlineSamples(entries, at: path, inputCount: inputCount, outputCount: outputCount, loss: loss)
        case .csv(let csv):
            samples = csvSamples(csv, at: path, inputCount: inputCount, outputCount: outputCount, loss: loss)
        case .npy(let npy):
            samples = npySamples(npy, at: path, inputCount: inputCount, outputCount: outputCount, loss: loss)
        }
        return samples
    }

    private mutating func inlineSamples(_ entries: [SampleEntry], at path: KeyPath, inputCount: Int?,
                                        outputCount: Int?, loss: Loss?) -> [ValidatedSpec.Sample]? {
        var samples: [ValidatedSpec.Sample] = []
        for (index, entry) in entries.enumerated() where entry.isMapping {
            let samplePath = path / index
            let inputs = vector(entry.inputs, "inputs", in: samplePath, at: entry.location, count: inputCount,
                                counted: "model.inputs")
            let targets = vector(entry.targets, "targets", in: samplePath, at: entry.location, count: outputCount,
                                 counted: "the units of the output layer")
            if let targets, let loss, let location = entry.targets?.location,
               let problem = Validator.targetProblem(targets, loss: loss) {
                error(at: location, samplePath / "targets", .targetRange(problem))
                continue
            }
            if let inputs, let targets { samples.append(.init(inputs: inputs, targets: targets)) }
        }
        return samples.count == entries.count ? samples : nil
    }

    private mutating func vector(_ value: Located<[Located<Double>]>?, _ key: String, in path: KeyPath,
                                 at location: SourceLocation, count: Int?, counted: String) -> [Double]? {
        guard let value = require(value, key, in: path, at: location, example: "\(key): [0.5, 0.5]") else { return nil }
        if let count, value.value.count != count {
            let noun = key == "inputs" ? "input" : "target"
            error(at: value.location, path / key, .sampleWidth(count, noun, counted: counted, found: value.value.count))
            return nil
        }
        return value.value.map(\.value)
    }

    /// What the loss requires of a sample's targets: cross_entropy a probability
    /// distribution (non-negative, summing to 1 within 1e-9), binary_cross_entropy
    /// values in [0, 1].
    static func targetProblem(_ targets: [Double], loss: Loss) -> (message: String, fix: String)? {
        switch loss {
        case .crossEntropy:
            if let negative = targets.first(where: { $0 < 0 }) {
                return ("cross_entropy targets must be non-negative, found \(negative)",
                        "give class probabilities, e.g. one-hot [0, 1, 0]")
            }
            let sum = targets.reduce(0, +)
            if abs(sum - 1) > 1e-9 {
                return ("cross_entropy targets must sum to 1, found a sum of \(sum)",
                        "give class probabilities, e.g. one-hot [0, 1, 0]")
            }
        case .binaryCrossEntropy:
            if let outside = targets.first(where: { $0 < 0 || $0 > 1 }) {
                return ("binary_cross_entropy targets must lie in [0, 1], found \(outside)", "use 0 and 1 (or probabilities)")
            }
        case .halfSquaredError, .mse:
            break
        }
        return nil
    }

    // MARK: CSV

    /// Reads `{csv: PATH, inputs: [...], targets: [...] | one_hot: {...}}`. Problems
    /// inside the file are reported at the `csv:` key, each message starting with the
    /// place in the file (`data/iris.csv:14:7`); every row must have the header's number
    /// of fields.
    private mutating func csvSamples(_ entry: CSVEntry, at path: KeyPath, inputCount: Int?, outputCount: Int?,
                                     loss: Loss?) -> [ValidatedSpec.Sample]? {
        guard let file = require(entry.path, "csv", in: path, at: entry.location, example: "csv: data/train.csv"),
              let inputColumns = require(entry.inputs, "inputs", in: path, at: entry.location, example: "inputs: [x1, x2]")
        else { return nil }
        if entry.targets == nil && entry.oneHot == nil {
            error(at: entry.location, path / "targets", .missingTargetsOrOneHot)
            return nil
        }
        if let targets = entry.targets, entry.oneHot != nil {
            error(at: targets.location, path / "targets", .targetsAndOneHot)
            return nil
        }
        if let inputCount, inputColumns.value.count != inputCount {
            error(at: inputColumns.location, path / "inputs",
                  .sampleWidth(inputCount, "input column", counted: "model.inputs", found: inputColumns.value.count))
            return nil
        }
        // Format 2, two classes on one output unit: binary classification, the first class 0, the second 1.
        let binary = format == 2 && entry.oneHot?.classes?.value.count == 2 && outputCount == 1
        let targetCount = entry.targets?.value.count ?? (binary ? 1 : entry.oneHot?.classes?.value.count)
        if let outputCount, let targetCount, targetCount != outputCount {
            let location = entry.targets?.location ?? entry.oneHot?.classes?.location ?? entry.location
            let key = entry.targets == nil ? "one_hot" : "targets"
            error(at: location, path / key,
                  .sampleWidth(outputCount, "target", counted: "the units of the output layer", found: targetCount))
            return nil
        }
        guard let bytes = readFile(file.value) else {
            error(at: file.location, path / "csv", .dataFileUnreadable("CSV", file.value))
            return nil
        }
        var text = String(decoding: bytes, as: UTF8.self)
        // SwiftCSV drops an empty last field of a last row without a line break ("1,2," reads
        // as two fields); ended by one, every row is read alike.
        if let last = text.last, !last.isNewline { text.append("\n") }
        let header: [String]
        var rows: [[String]] = []
        do {
            // The table's `rows` pad every row to the longest, hiding a row's own field
            // count: read only the header with it (rowLimit 0), then the rows as SwiftCSV
            // splits them.
            let table = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
            header = table.header
            try table.enumerateAsArray(startAt: 1, rowLimit: nil) { rows.append($0) }
            text = table.text
        } catch {
            // SwiftCSV's own words ("Can't have non-quote here: x"), without the enum's wrapping.
            var problem = "\(error)"
            if let error = error as? CSVParseError {
                switch error {
                case .generic(let message), .quotation(let message): problem = message
                }
            }
            self.error(at: file.location, path / "csv", .csvSyntax(file.value, problem))
            return nil
        }
        func column(_ name: Located<String>, _ key: KeyPath) -> Int? {
            if let index = header.firstIndex(of: name.value) { return index }
            error(at: name.location, key, .unknownColumn(file.value, name.value, header: header))
            return nil
        }
        let inputIndices = inputColumns.value.enumerated().map { column($1, path / "inputs" / $0) }
        var targetIndices: [Int?] = []
        var oneHot: (column: Int, classes: [String])?
        if let targets = entry.targets {
            targetIndices = targets.value.enumerated().map { column($1, path / "targets" / $0) }
        } else if let entry = entry.oneHot {
            let labelColumn = require(entry.column, "column", in: path / "one_hot", at: entry.location, example: "column: label")
            let classes = require(entry.classes, "classes", in: path / "one_hot", at: entry.location,
                                  example: "classes: [setosa, versicolor, virginica]")
            if let labelColumn, let index = column(labelColumn, path / "one_hot" / "column"), let classes {
                oneHot = (index, classes.value.map(\.value))
            }
        }
        guard !inputIndices.contains(nil), !targetIndices.contains(nil), entry.oneHot == nil || oneHot != nil else {
            return nil
        }

        var samples: [ValidatedSpec.Sample] = []
        var problems = 0
        lazy var locator = CSVLocator(text)
        func report(_ message: DiagnosticMessage, at key: KeyPath) {
            if problems < 10 { error(at: file.location, key, message) }
            problems += 1
        }
        var nextLine = 1 + CSVLocator.lineCount(of: header)
        for row in rows {
            let line = nextLine
            nextLine += CSVLocator.lineCount(of: row)
            // A blank line (or one of spaces) holds no sample: skipped, as pandas and R do.
            if row == [""] { continue }
            /// `data/iris.csv:14:7`: where field `index` of this row is, or would be.
            func place(_ index: Int) -> String { "\(file.value):\(locator.place(ofField: index, inRowAt: line))" }
            guard row.count == header.count else {
                let counts = "the row has \(SpecMessages.count(row.count, "field")), the header has \(header.count) (\(header.map { "'\($0)'" }.joined(separator: ", ")))"
                if row.count < header.count {
                    report(.csvTooFewFields(place: place(row.count), counts: counts), at: path / "csv")
                } else {
                    report(.csvTooManyFields(place: place(header.count), counts: counts, extra: row[header.count], field: header.count + 1),
                           at: path / "csv")
                }
                continue
            }
            func number(_ columnIndex: Int) -> Double? {
                let cell = row[columnIndex].trimmingCharacters(in: .whitespaces)
                if NumberSyntax.isJSONNumber(cell), let value = Double(cell), value.isFinite { return value }
                report(.csvNotANumber(place: place(columnIndex), field: columnIndex + 1, column: header[columnIndex], found: cell),
                       at: path / "csv")
                return nil
            }
            let inputs = inputIndices.compactMap { $0.flatMap(number) }
            var targets: [Double] = []
            if let oneHot {
                let label = row[oneHot.column].trimmingCharacters(in: .whitespaces)
                guard let classIndex = oneHot.classes.firstIndex(of: label) else {
                    report(.csvUnknownClass(place: place(oneHot.column), field: oneHot.column + 1, column: header[oneHot.column],
                                            label: label, classes: oneHot.classes), at: path / "one_hot")
                    continue
                }
                targets = binary ? [Double(classIndex)] : oneHot.classes.indices.map { $0 == classIndex ? 1 : 0 }
            } else {
                targets = targetIndices.compactMap { $0.flatMap(number) }
            }
            guard inputs.count == inputIndices.count,
                  targets.count == max(targetIndices.count, binary ? 1 : oneHot?.classes.count ?? 0)
            else { continue }
            if let loss, let problem = Validator.targetProblem(targets, loss: loss) {
                report(.targetRange(problem, place: "\(file.value):\(line): "), at: path / "csv")
                continue
            }
            samples.append(.init(inputs: inputs, targets: targets))
        }
        if problems > 10 {
            error(at: file.location, path / "csv", .csvMoreProblems(file.value, problems - 10))
        }
        if problems == 0 && samples.isEmpty {
            error(at: file.location, path / "csv", .csvNoRows(file.value))
        }
        return problems == 0 && !samples.isEmpty ? samples : nil
    }
}
