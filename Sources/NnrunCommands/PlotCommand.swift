import ArgumentParser
import Foundation
import Pipeline
import Results

/// `nnrun plot RESULTS.json... -o PATH.svg`: loss against step, one line per file.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw the loss (and validation loss and accuracy, when present) of results files against step, as SVG.")

    @Argument(help: "Results files (e.g. a sweep's: DIR/*.results.json).", completion: .resultsFile)
    var results: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("The SVG file to write.", valueName: "path.svg"), completion: .outputFile)
    var output: String

    @Flag(help: "A logarithmic loss axis.")
    var log = false

    @OptionGroup var quiet: Quiet

    func validate() throws {
        if results.isEmpty { throw ValidationError("give at least one results file") }
    }

    func run() throws {
        var series: [LossPlot.Series] = []
        for path in results {
            let value = try JSONValue.read(path, as: .resultsFile)
            guard let item = LossPlot.series(from: value, label: PlotCommand.label(for: path, in: results, results: value)) else {
                throw CommandFailure(.invalidSpec, "\(path): error: not an nnrun results file with a history")
            }
            series.append(item)
        }
        let title = results.count == 1 ? "loss of \(series[0].label)" : "loss of \(results.count) runs"
        try AtomicFile.write(LossPlot(series: series, logScale: log, title: title).svg, to: output)
        quiet.chatter("plot: \(output)")
    }

    /// The spec's name, or the file's name when several files share one spec name (a sweep).
    static func label(for path: String, in paths: [String], results: JSONValue) -> String {
        let file = URL(fileURLWithPath: path).lastPathComponent.replacingOccurrences(of: ".results.json", with: "")
        guard paths.count > 1 else {
            if case .string(let name)? = results["spec"]?["name"] { return name }
            return file
        }
        // A sweep's files are INDEX-ID.results.json: the id says which run it is.
        if let dash = file.firstIndex(of: "-"), file[..<dash].allSatisfy(\.isNumber), !file[..<dash].isEmpty {
            return String(file[file.index(after: dash)...])
        }
        return file
    }
}
