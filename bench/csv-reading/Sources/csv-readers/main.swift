// csv-readers READER FILE RUNS: reads FILE (a header, then rows of number columns and a
// last text column, the class label) RUNS times with READER into a row-major [Double] of
// the number columns and a [String] of the labels, and prints one JSON line: each run's
// seconds (file bytes already in memory, so only the parsing is timed), the checksum of
// the numbers (the readers must agree), and the process's peak resident memory.
//
// Readers:
//   swiftcsv-as-before  SwiftCSV 0.10.0 as nnrun used it until this change: the text made a
//                       String, every row collected as [String], then each cell trimmed and
//                       converted
//   swiftcsv            SwiftCSV used as well as its API allows: rows handed to a closure as
//                       [String] and converted at once, nothing collected, no trimming
//   csv.swift           yaslab/CSV.swift 2.5.2: CSVReader over the bytes, `next()` row by row
//   datafiles           nnrun's CSVFile: fields as byte ranges, numbers parsed from the bytes
import CSV
import DataFiles
import Foundation
import SwiftCSV

struct Table {
    var numbers: [Double] = []
    var labels: [String] = []
}

func swiftCSVAsBefore(_ bytes: [UInt8]) throws -> Table {
    var text = String(decoding: bytes, as: UTF8.self)
    if let last = text.last, !last.isNewline { text.append("\n") }
    let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
    var rows: [[String]] = []
    try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { rows.append($0) }
    var table = Table()
    for row in rows where row != [""] {
        for cell in row.dropLast() {
            table.numbers.append(Double(cell.trimmingCharacters(in: .whitespaces)) ?? .nan)
        }
        table.labels.append(row[row.count - 1].trimmingCharacters(in: .whitespaces))
    }
    return table
}

func swiftCSV(_ bytes: [UInt8]) throws -> Table {
    let csv = try EnumeratedCSV(string: String(decoding: bytes, as: UTF8.self), delimiter: .comma, loadColumns: false,
                                rowLimit: 0)
    var table = Table()
    try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { row in
        for cell in row.dropLast() { table.numbers.append(Double(cell) ?? .nan) }
        table.labels.append(row[row.count - 1])
    }
    return table
}

func csvSwift(_ bytes: [UInt8]) throws -> Table {
    let reader = try CSVReader(stream: InputStream(data: Data(bytes)), hasHeaderRow: true)
    var table = Table()
    while let row = reader.next() {
        for cell in row.dropLast() { table.numbers.append(Double(cell) ?? .nan) }
        table.labels.append(row[row.count - 1])
    }
    if let error = reader.error { throw error }
    return table
}

func dataFiles(_ bytes: [UInt8]) throws -> Table {
    var table = Table()
    var header = true
    try CSVFile(bytes).forEachRow { row in
        if header { header = false; return true }
        for column in 0..<(row.count - 1) {
            table.numbers.append(row.withValue(column) { Double(String(decoding: $0, as: UTF8.self)) ?? .nan })
        }
        table.labels.append(row.text(row.count - 1))
        return true
    }
    return table
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let runs = Int(arguments[3]), runs > 0,
      let data = FileManager.default.contents(atPath: arguments[2]) else {
    FileHandle.standardError.write("usage: csv-readers swiftcsv-as-before|swiftcsv|csv.swift|datafiles FILE RUNS\n".data(using: .utf8)!)
    exit(64)
}
let readers: [String: ([UInt8]) throws -> Table] = [
    "swiftcsv-as-before": swiftCSVAsBefore, "swiftcsv": swiftCSV, "csv.swift": csvSwift, "datafiles": dataFiles,
]
guard let read = readers[arguments[1]] else {
    FileHandle.standardError.write("unknown reader \(arguments[1])\n".data(using: .utf8)!)
    exit(64)
}
let bytes = [UInt8](data)
var seconds: [Double] = []
var checksum = 0.0, rows = 0
for _ in 0..<runs {
    let start = DispatchTime.now().uptimeNanoseconds
    let table = try read(bytes)
    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    checksum = table.numbers.reduce(0, +)
    rows = table.labels.count
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print("{\"reader\": \"\(arguments[1])\", \"seconds\": \(seconds), \"rows\": \(rows), \"checksum\": \(checksum), \"peak_mib\": \(Double(usage.ru_maxrss) / 1024)}")
