import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import XCTest

/// `nnrun plot` and `--plot`: the SVG parses as XML, and each line's points, read back
/// through the plot area's recorded ranges, are the results file's history.
final class PlotTests: XCTestCase {
    private func parse(_ url: URL) throws -> PlotTestsPlot {
        let collector = SVGCollector()
        let parser = XMLParser(data: try Data(contentsOf: url))
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "the SVG is well-formed XML")
        return collector.plot
    }

    /// The values a polyline draws, mapped back through its panel's data ranges.
    private func values(of line: [String: String], in area: [String: String]) throws -> (steps: [Double], values: [Double]) {
        let number = { (key: String) throws -> Double in try XCTUnwrap(area[key].flatMap(Double.init), key) }
        let (xMin, xMax, yMin, yMax) = (try number("data-x-min"), try number("data-x-max"), try number("data-y-min"), try number("data-y-max"))
        let (left, top, width, height) = (try number("data-left"), try number("data-top"), try number("data-width"), try number("data-height"))
        let log = area["data-log"] == "true"
        var steps: [Double] = [], values: [Double] = []
        for point in (line["points"] ?? "").split(separator: " ") {
            let xy = point.split(separator: ",").compactMap { Double($0) }
            steps.append(xMin + (xy[0] - left) / width * (xMax - xMin))
            let t = 1 - (xy[1] - top) / height
            values.append(log ? pow(10, log10(yMin) + t * (log10(yMax) - log10(yMin))) : yMin + t * (yMax - yMin))
        }
        return (steps, values)
    }

    func testSweepPlotHasOneLinePerRunMatchingItsHistory() throws {
        let folder = try NnrunProcess.temporaryFolder()
        XCTAssertEqual(try NnrunProcess.run(["sweep", Repository.file("specs/tutorial-sweep.yaml").path, "-o", "runs", "--quiet"],
                                            in: folder).status, 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("runs").path)
            .filter { $0.hasSuffix(".results.json") }.sorted()
        XCTAssertEqual(files.count, 6)
        for log in [false, true] {
            let output = try NnrunProcess.run(["plot"] + files.map { "runs/" + $0 } + ["-o", "plot.svg"] + (log ? ["--log"] : []), in: folder)
            XCTAssertEqual(output.status, 0, output.stderr)
            let plot = try parse(folder.appendingPathComponent("plot.svg"))
            let loss = try XCTUnwrap(plot.areas["loss"])
            XCTAssertEqual(loss["data-log"], String(log))
            XCTAssertEqual(plot.lines.map { $0["data-label"] }, files.map { name in
                String(name.dropFirst(2).dropLast(".results.json".count))   // "2-learning_rate=0.5,..." -> the run id
            })
            XCTAssertTrue(plot.texts.contains("step") && plot.texts.contains(log ? "loss (log scale)" : "loss"), "axis labels")
            for (file, line) in zip(files, plot.lines) {
                let results = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("runs/" + file))) as? [String: Any])
                let history = try XCTUnwrap(results["history"] as? [String: Any])
                let steps = try XCTUnwrap(history["step"] as? [Int]), losses = try XCTUnwrap(history["loss"] as? [Double])
                let drawn = try values(of: line, in: loss)
                XCTAssertEqual(drawn.values.count, losses.count, file)
                for (a, b) in zip(drawn.steps, steps) { XCTAssertEqual(a, Double(b), accuracy: 0.01) }
                // Points are written to 1/1000 px: 2e-6 of a 300 px linear axis; on a log axis of
                // 4 decades (75 px each) 7e-6 of a decade, a relative error near 1.5e-5.
                let range = (Double(loss["data-y-max"] ?? "") ?? 1) - (Double(loss["data-y-min"] ?? "") ?? 0)
                for (a, b) in zip(drawn.values, losses) {
                    XCTAssertEqual(a, b, accuracy: log ? 5e-5 * b : 1e-5 * range)
                }
            }
        }
    }

    func testRunPlotShowsAccuracyForAClassifier() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let output = try NnrunProcess.run([Repository.file("specs/xor.yaml").path, "-o", "r.json", "--plot", "xor.svg"], in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        let plot = try parse(folder.appendingPathComponent("xor.svg"))
        XCTAssertEqual(plot.lines.map { $0["data-quantity"] }, ["loss", "accuracy"])
        XCTAssertNotNil(plot.areas["accuracy"])
        let accuracy = try values(of: plot.lines[1], in: try XCTUnwrap(plot.areas["accuracy"]))
        XCTAssertEqual(accuracy.values.last ?? 0, 1, accuracy: 1e-6, "xor ends with every sample right")
    }

    /// A results file with only the history the plot reads.
    private func history(_ members: String, in folder: URL, name: String = "r.json") throws {
        try "{\"spec\": {\"name\": \"h\"}, \"history\": {\(members)}}"
            .write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// The loss axis covers the data with "nice" ticks (Docs/scaling.md): the spacing is the
    /// smallest 1, 2 or 5 times a power of ten that is at least a fifth of the data's span;
    /// the axis runs from the largest multiple of it at or below the smallest loss to the
    /// smallest multiple at or above the largest.
    func testLossAxisFitsTheData() throws {
        let folder = try NnrunProcess.temporaryFolder()
        // Worked by hand:
        // - 0.3 to 2.09: span 1.79, a fifth 0.358, spacing 0.5; axis 0 to 2.5 (not 5).
        // - 0.69 to 0.74: span 0.05, a fifth 0.01, spacing 0.01; axis 0.69 to 0.74 (not 0 to 1).
        // - 120 to 800: span 680, a fifth 136, spacing 200; axis 0 to 800.
        let cases: [(losses: [Double], low: Double, high: Double, ticks: [String])] = [
            ([2.09, 1.0, 0.3], 0, 2.5, ["0", "0.5", "1", "1.5", "2", "2.5"]),
            ([0.74, 0.71, 0.69], 0.69, 0.74, ["0.69", "0.7", "0.71", "0.72", "0.73", "0.74"]),
            ([800, 300, 120], 0, 800, ["0", "200", "400", "600", "800"]),
        ]
        for (losses, low, high, ticks) in cases {
            try history("\"step\": [0, 1, 2], \"loss\": [\(losses.map(\.description).joined(separator: ", "))]", in: folder)
            let output = try NnrunProcess.run(["plot", "r.json", "-o", "p.svg"], in: folder)
            XCTAssertEqual(output.status, 0, output.stderr)
            let plot = try parse(folder.appendingPathComponent("p.svg"))
            let area = try XCTUnwrap(plot.areas["loss"])
            XCTAssertEqual(try XCTUnwrap(Double(area["data-y-min"] ?? "")), low, accuracy: 1e-12, "\(losses)")
            XCTAssertEqual(try XCTUnwrap(Double(area["data-y-max"] ?? "")), high, accuracy: 1e-12, "\(losses)")
            // The y tick labels come first, then the step labels.
            XCTAssertEqual(Array(plot.texts.dropFirst().prefix(ticks.count)), ticks, "\(losses)")
        }
    }

    func testValidationAccuracyIsDrawnDashedInTheAccuracyPanel() throws {
        let folder = try NnrunProcess.temporaryFolder()
        try history("\"step\": [0, 1, 2], \"loss\": [0.7, 0.5, 0.4], \"accuracy\": [0.5, 0.75, 1], "
                    + "\"validation_loss\": [0.8, 0.6, 0.5], \"validation_accuracy\": [0.25, 0.5, 0.75]", in: folder)
        let output = try NnrunProcess.run(["plot", "r.json", "-o", "p.svg"], in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        let plot = try parse(folder.appendingPathComponent("p.svg"))
        XCTAssertEqual(plot.lines.map { $0["data-quantity"] }, ["loss", "validation_loss", "accuracy", "validation_accuracy"])
        let line = plot.lines[3]
        XCTAssertEqual(line["stroke-dasharray"], "6 4")
        let drawn = try values(of: line, in: try XCTUnwrap(plot.areas["accuracy"]))
        for (a, b) in zip(drawn.values, [0.25, 0.5, 0.75]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        XCTAssertEqual(drawn.values.count, 3)
    }

    func testPlotRefusesWhatIsNotAResultsFile() throws {
        let folder = try NnrunProcess.temporaryFolder()
        try "{}".write(to: folder.appendingPathComponent("x.json"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try NnrunProcess.run(["plot", "x.json", "-o", "p.svg"], in: folder).status, 65)
        XCTAssertEqual(try NnrunProcess.run(["plot", "missing.json", "-o", "p.svg"], in: folder).status, 66)
    }
}

/// What the tests read from an SVG.
struct PlotTestsPlot {
    var areas: [String: [String: String]] = [:]   // quantity -> attributes of <g class="plot">
    var lines: [[String: String]] = []            // <polyline class="series"> attributes
    var texts: [String] = []
}

private final class SVGCollector: NSObject, XMLParserDelegate {
    var plot = PlotTestsPlot()
    private var inText = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "g", attributes["class"] == "plot", let quantity = attributes["data-quantity"] { plot.areas[quantity] = attributes }
        if name == "polyline", attributes["class"] == "series" { plot.lines.append(attributes) }
        if name == "text" { inText = true; plot.texts.append("") }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { plot.texts[plot.texts.count - 1] += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { inText = false }
    }
}
