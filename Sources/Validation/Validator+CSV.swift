#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DataFiles
import Diagnostics
import Spec

/// Samples from a CSV file, `{csv: PATH, inputs: [...], targets: [...] | one_hot: {...}}`
/// (the format is read by `CSVFile`). Problems inside the file are reported at the `csv:`
/// key, each message starting with the place in the file (`data/iris.csv:14:7`); every row
/// must have the header's number of fields; the first ten problems are listed.
extension Validator {
    /// The columns a CSV source reads, as indices into its header.
    struct CSVColumns {
        var header: [String]
        var inputs: [Int]
        /// Empty for a one-hot source.
        var targets: [Int]
        /// The class-label column of a one-hot source.
        var label: Int?
        /// The classes in target order: listed in the spec, or nil until inferred from the file.
        let classes: [String]?
        /// Format 2, one output unit: a binary classifier whose two classes are the targets 0
        /// and 1 (first class 0, second 1), not one-hot.
        var binary: Bool
        /// Each listed class's UTF-8 bytes and its index in `classes` (the first, for a name
        /// listed twice), sorted by the bytes: a row's label is found by binary search, without
        /// a `String` per row or a pass over every class.
        let classBytes: [(bytes: [UInt8], index: Int)]

        init(header: [String], inputs: [Int], targets: [Int], label: Int?, classes: [String]?, binary: Bool) {
            (self.header, self.inputs, self.targets, self.label, self.classes, self.binary) =
                (header, inputs, targets, label, classes, binary)
            var first: [String: Int] = [:]
            for (index, name) in (classes ?? []).enumerated() where first[name] == nil { first[name] = index }
            classBytes = first.map { (Array($0.key.utf8), $0.value) }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        }

        /// The index of the class whose UTF-8 bytes are `bytes`, nil when no listed class has them.
        func classIndex(ofBytes bytes: some Collection<UInt8>) -> Int? {
            var low = 0, high = classBytes.count
            while low < high {
                let middle = (low + high) / 2
                if classBytes[middle].bytes.lexicographicallyPrecedes(bytes) { low = middle + 1 } else { high = middle }
            }
            return low < classBytes.count && classBytes[low].bytes.elementsEqual(bytes) ? classBytes[low].index : nil
        }
    }

    /// What a pass over the rows gathers: the samples, and for classes still to be inferred,
    /// each sample's label as an index into `labels` (in order of first appearance).
    private struct CSVReading {
        var samples: [ValidatedSpec.Sample] = []
        var labels: [String] = []
        var labelIndex: [String: Int] = [:]
        var sampleLabels: [Int] = []
        var problems = 0
    }

    mutating func csvSamples(_ entry: CSVEntry, at path: KeyPath, inputCount: Int?, outputCount: Int?,
                             loss: Loss?) -> [ValidatedSpec.Sample]? {
        guard let file = require(entry.path, "csv", in: path, at: entry.location, example: "csv: data/train.csv"),
              let inputColumns = require(entry.inputs, "inputs", in: path, at: entry.location, example: "inputs: [x1, x2]"),
              csvEntryIsConsistent(entry, inputColumns: inputColumns, at: path, inputCount: inputCount, outputCount: outputCount)
        else { return nil }
        guard let bytes = readFile(file.value) else {
            error(at: file.location, path / "csv", .dataFileUnreadable("CSV", file.value))
            return nil
        }
        var reading = CSVReading()
        var columns: CSVColumns?
        var headerRead = false
        do {
            try CSVFile(bytes).forEachRow { row in
                guard let resolved = columns else {
                    guard !headerRead else { return false }
                    headerRead = true
                    columns = csvColumns(header: (0..<row.count).map { row.text($0) }, entry: entry, inputColumns: inputColumns,
                                         file: file, at: path, outputCount: outputCount)
                    return columns != nil
                }
                csvRow(row, columns: resolved, into: &reading, file: file, at: path, loss: loss)
                return true
            }
        } catch {
            self.error(at: file.location, path / "csv",
                       .csvSyntax(place: "\(file.value):\(error.line):\(error.column)", error.message, fix: error.fix))
            return nil
        }
        if !headerRead {
            // An empty file: a header without columns.
            columns = csvColumns(header: [], entry: entry, inputColumns: inputColumns, file: file, at: path,
                                 outputCount: outputCount)
        }
        guard let columns else { return nil }
        if reading.problems > 10 {
            error(at: file.location, path / "csv", .csvMoreProblems(file.value, reading.problems - 10))
        }
        if reading.problems == 0 && reading.samples.isEmpty {
            error(at: file.location, path / "csv", .csvNoRows(file.value))
        }
        guard reading.problems == 0, !reading.samples.isEmpty else { return nil }
        guard columns.label != nil else { return reading.samples }
        guard let classes = columns.classes else {
            return inferClasses(&reading, entry: entry, file: file, at: path, outputCount: outputCount, binary: columns.binary)
        }
        if csvClasses == nil { csvClasses = (classes, inferred: false) }
        return reading.samples
    }

    /// The classes of a one-hot source that lists none: the distinct labels of the file,
    /// sorted (`CSVClasses.sorted`), each sample's target then one-hot in that order (or, for
    /// a binary classifier with two classes, the class's index 0 or 1). The validation set of
    /// a spec takes the training set's classes.
    private mutating func inferClasses(_ reading: inout CSVReading, entry: CSVEntry, file: Located<String>, at path: KeyPath,
                                       outputCount: Int?, binary: Bool) -> [ValidatedSpec.Sample]? {
        let classes = CSVClasses.sorted(reading.labels)
        let binary = binary && classes.count == 2
        if let outputCount, classes.count != outputCount, !binary {
            error(at: entry.oneHot?.location ?? entry.location, path / "one_hot",
                  .csvInferredClassCount(file.value, classes: classes, units: outputCount))
            return nil
        }
        let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let order = reading.labels.map { position[$0] ?? 0 }
        for (sample, label) in zip(reading.samples.indices, reading.sampleLabels) {
            if binary {
                reading.samples[sample].targets = [Double(order[label])]
                continue
            }
            var targets = [Double](repeating: 0, count: classes.count)
            targets[order[label]] = 1
            reading.samples[sample].targets = targets
        }
        csvClasses = (classes, inferred: true)
        return reading.samples
    }

    /// The entry's own checks, before the file is read: targets or one_hot (not both), and
    /// the counts of columns against the model.
    private mutating func csvEntryIsConsistent(_ entry: CSVEntry, inputColumns: Located<[Located<String>]>, at path: KeyPath,
                                               inputCount: Int?, outputCount: Int?) -> Bool {
        if entry.targets == nil && entry.oneHot == nil {
            error(at: entry.location, path / "targets", .missingTargetsOrOneHot)
            return false
        }
        if let targets = entry.targets, entry.oneHot != nil {
            error(at: targets.location, path / "targets", .targetsAndOneHot)
            return false
        }
        if let inputCount, inputColumns.value.count != inputCount {
            error(at: inputColumns.location, path / "inputs",
                  .sampleWidth(inputCount, "input column", counted: "model.inputs", found: inputColumns.value.count))
            return false
        }
        // Format 2, two classes on one output unit: binary classification, the first class 0, the second 1.
        let binary = format == 2 && entry.oneHot?.classes?.value.count == 2 && outputCount == 1
        let targetCount = entry.targets?.value.count ?? (binary ? 1 : entry.oneHot?.classes?.value.count)
        if let outputCount, let targetCount, targetCount != outputCount {
            let location = entry.targets?.location ?? entry.oneHot?.classes?.location ?? entry.location
            let key = entry.targets == nil ? "one_hot" : "targets"
            error(at: location, path / key,
                  .sampleWidth(outputCount, "target", counted: "the units of the output layer", found: targetCount))
            return false
        }
        return true
    }

    /// The named columns found in the header, or nil after reporting those that are not.
    private mutating func csvColumns(header: [String], entry: CSVEntry, inputColumns: Located<[Located<String>]>,
                                     file: Located<String>, at path: KeyPath, outputCount: Int?) -> CSVColumns? {
        func column(_ name: Located<String>, _ key: KeyPath) -> Int? {
            if let index = header.firstIndex(of: name.value) { return index }
            error(at: name.location, key, .unknownColumn(file.value, name.value, header: header))
            return nil
        }
        let inputs = inputColumns.value.enumerated().map { column($1, path / "inputs" / $0) }
        let targets = (entry.targets?.value ?? []).enumerated().map { column($1, path / "targets" / $0) }
        var label: Int?
        if let oneHot = entry.oneHot {
            guard let labelColumn = require(oneHot.column, "column", in: path / "one_hot", at: oneHot.location,
                                            example: "column: label"),
                  let index = column(labelColumn, path / "one_hot" / "column")
            else { return nil }
            label = index
        }
        guard !inputs.contains(nil), !targets.contains(nil) else { return nil }
        let classes = entry.oneHot?.classes?.value.map(\.value) ?? csvClasses?.classes
        return CSVColumns(header: header, inputs: inputs.compactMap { $0 }, targets: targets.compactMap { $0 },
                          label: label, classes: classes,
                          binary: format == 2 && outputCount == 1 && label != nil && (classes.map { $0.count == 2 } ?? true))
    }

    /// One data row: its numbers (and label) read into a sample, or its problems reported.
    private mutating func csvRow(_ row: CSVRow, columns: CSVColumns, into reading: inout CSVReading, file: Located<String>,
                                 at path: KeyPath, loss: Loss?) {
        // A blank line (or one of spaces) holds no sample: skipped, as pandas and R do.
        if row.isBlank { return }
        func report(_ message: DiagnosticMessage, at key: KeyPath) {
            if reading.problems < 10 { error(at: file.location, key, message) }
            reading.problems += 1
        }
        /// `data/iris.csv:14:7`: where field `index` of this row is, or would be.
        func place(_ index: Int) -> String { "\(file.value):\(row.place(ofField: index))" }
        let header = columns.header
        guard row.count == header.count else {
            let counts = "the row has \(SpecMessages.count(row.count, "field")), the header has \(header.count) (\(header.map { "'\($0)'" }.joined(separator: ", ")))"
            if row.count < header.count {
                report(.csvTooFewFields(place: place(row.count), counts: counts), at: path / "csv")
            } else {
                report(.csvTooManyFields(place: place(header.count), counts: counts, extra: row.text(header.count),
                                         field: header.count + 1), at: path / "csv")
            }
            return
        }
        var failed = false
        func number(_ column: Int) -> Double {
            if let value = row.withValue(column, Validator.csvNumber) { return value }
            report(.csvNotANumber(place: place(column), field: column + 1, column: header[column],
                                  found: Validator.trimmed(row.text(column))), at: path / "csv")
            failed = true
            return 0
        }
        let inputs = columns.inputs.map(number)
        var targets = columns.targets.map(number)
        if let label = columns.label {
            // The usual label is a class's exact bytes: found without making Strings of it.
            let exactClass = columns.classes == nil ? nil : row.withValue(label) { columns.classIndex(ofBytes: $0) }
            let name = exactClass == nil ? Validator.trimmed(row.text(label)) : ""
            if let classes = columns.classes {
                // Otherwise by String equality (canonical equivalence: "é" composed or not).
                guard let classIndex = exactClass ?? classes.firstIndex(of: name) else {
                    report(.csvUnknownClass(place: place(label), field: label + 1, column: header[label], label: name,
                                            classes: classes), at: path / "one_hot")
                    return
                }
                targets = columns.binary ? [Double(classIndex)] : classes.indices.map { $0 == classIndex ? 1 : 0 }
            } else {
                let index = reading.labelIndex[name] ?? reading.labels.count
                if index == reading.labels.count {
                    reading.labels.append(name)
                    reading.labelIndex[name] = index
                }
                reading.sampleLabels.append(index)
            }
        }
        guard !failed else { return }
        if let loss, columns.label == nil, let problem = Validator.targetProblem(targets, loss: loss) {
            report(.targetRange(problem, place: "\(file.value):\(row.line): "), at: path / "csv")
            return
        }
        reading.samples.append(.init(inputs: inputs, targets: targets))
    }

    /// A field's number: the JSON number grammar, past spaces and tabs on either side, and finite.
    static func csvNumber(_ field: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0, end = field.count
        while start < end, field[start] == UInt8(ascii: " ") || field[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, field[end - 1] == UInt8(ascii: " ") || field[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        guard let value = jsonNumberValue(UnsafeBufferPointer(rebasing: field[start..<end])), value.isFinite else { return nil }
        return value
    }

    /// The Float64 nearest to the number in `bytes` when they are a JSON number
    /// (`NumberSyntax`), nil when they are not: what `Double(String)` gives for them,
    /// without a `String` per field. One pass checks the grammar and collects the digits
    /// (`DecimalText`); numbers of at most 19 significant digits then go through
    /// `NearestDouble`, longer ones (and the rare ones it cannot decide) through C's
    /// `strtod` on a NUL-terminated copy of the bytes on the stack. All are correctly
    /// rounded, so they agree bit for bit, underflow to zero and overflow to infinity
    /// included (`CSVNumberTests`). Should the process's locale not be C (its decimal
    /// point not '.'), `strtod` stops early and the String conversion decides.
    public static func jsonNumberValue(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let text = DecimalText(bytes) else { return nil }
        if text.significantDigits <= 19,
           let value = NearestDouble.value(significand: text.significand, exponent: text.exponent, negative: text.negative) {
            return value
        }
        let parsed: Double? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { text in
            guard let start = text.baseAddress else { return nil }
            for index in bytes.indices { text[index] = CChar(bitPattern: bytes[index]) }
            text[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(start, &end)
            return end == start + bytes.count ? value : nil
        }
        return parsed ?? Double(String(decoding: bytes, as: UTF8.self))
    }

    /// Without the spaces and tabs on either side, as labels and numbers are compared.
    static func trimmed(_ text: String) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return String(text[first...last])
    }
}
