import Foundation
import TestSupport
import XCTest

/// `nnrun explain --format html` rendered by headless Chromium: no console message, every
/// formula laid out as MathML (as many <math> elements as the Markdown page has formulas,
/// none empty, no TeX left in the text), and a page that fits a 400 px wide window
/// without scrolling sideways. Screenshots of the tutorial's page and diagram are written
/// too (to Docs/images with NNRUN_WRITE_SCREENSHOTS=1).
final class HTMLPageTests: XCTestCase {
    /// Added to a copy of the page, shown in a 400 px frame: it sends the frame page what
    /// the test reads back from the dumped DOM. The page itself has no script.
    private static let probe = """
        <script>
        const maths = Array.from(document.querySelectorAll("math"));
        parent.postMessage({
          "scroll-width": document.documentElement.scrollWidth,
          "client-width": document.documentElement.clientWidth,
          "inner-width": innerWidth,
          "math": maths.length,
          "math-laid-out": maths.filter(m => { const r = m.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length,
          "merror": document.querySelectorAll("merror").length,
          "svg": document.querySelectorAll("figure svg").length,
          "dark": matchMedia("(prefers-color-scheme: dark)").matches ? 1 : 0,
          "background": getComputedStyle(document.documentElement).backgroundColor.replace(/[^0-9,]/g, "").split(",").map(Number).reduce((a, c) => a * 256 + c, 0),
          "text": document.body.innerText
        }, "*");
        </script>
        """

    private func attribute(_ name: String, in dom: String) throws -> Int {
        let marker = "data-\(name)=\""
        let start = try XCTUnwrap(dom.range(of: marker), "no \(marker) in the DOM: did the probe run?").upperBound
        let digits = dom[start...].prefix { $0.isNumber }
        return try XCTUnwrap(Int(digits))
    }

    /// `$...$` and `$$...$$` formulas of a Markdown page (`\$` is an escaped dollar).
    static func formulaCount(markdown: String) -> Int {
        var delimiters = 0, previous: Character = " "
        var characters = Array(markdown)[...]
        while let character = characters.popFirst() {
            if character == "$" && previous != "\\" {
                if characters.first == "$" { characters.removeFirst() }
                delimiters += 1
            }
            previous = character
        }
        return delimiters / 2
    }

    private func checkInChromium(spec: URL, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        _ = try HeadlessChromium.executable()
        let folder = try NnrunProcess.temporaryFolder()
        let page = folder.appendingPathComponent("page.html")
        let html = try NnrunProcess.run(["explain", spec.path, "--format", "html", "-o", page.path])
        XCTAssertEqual(html.status, 0, html.stderr, file: file, line: line)
        let markdown = try NnrunProcess.run(["explain", spec.path])
        XCTAssertEqual(markdown.status, 0, markdown.stderr, file: file, line: line)
        let formulas = Self.formulaCount(markdown: markdown.stdout)
        XCTAssertGreaterThan(formulas, 20, file: file, line: line)

        let source = try String(contentsOf: page, encoding: .utf8)
        XCTAssertFalse(source.contains("<script"), "the page runs no script", file: file, line: line)
        for reference in ["src=", "href=\"http", "@import", "url("] {
            XCTAssertFalse(source.contains(reference), "the page loads nothing: \(reference)", file: file, line: line)
        }
        let probe = folder.appendingPathComponent("probe.html")
        try source.replacingOccurrences(of: "</body>", with: Self.probe + "\n</body>").write(to: probe, atomically: true, encoding: .utf8)
        let output = try HeadlessChromium.dumpDOM(try HeadlessChromium.framed(probe, width: 400, height: 900))
        XCTAssertEqual(output.status, 0, output.stderr, file: file, line: line)
        XCTAssertEqual(output.consoleMessages, [], "the console stays quiet", file: file, line: line)
        let dom = output.stdout
        XCTAssertEqual(try attribute("math", in: dom), formulas, "one <math> per formula of the Markdown page", file: file, line: line)
        XCTAssertEqual(try attribute("math-laid-out", in: dom), formulas, "every formula has a size on the page", file: file, line: line)
        XCTAssertEqual(try attribute("merror", in: dom), 0, "every TeX command has its MathML", file: file, line: line)
        XCTAssertEqual(try attribute("svg", in: dom), 1, "the diagram is inline", file: file, line: line)
        XCTAssertEqual(try attribute("inner-width", in: dom), 400, "the frame is a phone's width", file: file, line: line)
        // The client width leaves out the vertical scroll bar.
        XCTAssertLessThanOrEqual(try attribute("scroll-width", in: dom), try attribute("client-width", in: dom),
                                 "no sideways scrolling at 400 px", file: file, line: line)
        XCTAssertEqual(try attribute("background", in: dom), 0xFFFFFF, "light: white", file: file, line: line)
        let dark = try HeadlessChromium.dumpDOM(try HeadlessChromium.framed(probe, width: 400, height: 900), dark: true)
        XCTAssertEqual(dark.consoleMessages, [], file: file, line: line)
        XCTAssertEqual(try attribute("dark", in: dark.stdout), 1, "the browser prefers dark", file: file, line: line)
        XCTAssertEqual(try attribute("background", in: dark.stdout), 0x16181C, "dark: the page's dark background", file: file, line: line)
        let text = try XCTUnwrap(dom.range(of: "data-text=\"")).upperBound
        let visible = String(dom[text...].prefix { $0 != "\"" })
        XCTAssertTrue(visible.contains("The backward pass"), "the page's text came back", file: file, line: line)
        for raw in ["\\frac", "\\cdot", "\\partial", "\\left", "^{", "_{", "$"] {
            XCTAssertFalse(visible.contains(raw), "raw TeX '\(raw)' in the page's text", file: file, line: line)
        }
        return page
    }

    func testTheTutorialsPageRendersInChromium() throws {
        let page = try checkInChromium(spec: Repository.file("specs/tutorial.yaml"))
        let folder = ProcessInfo.processInfo.environment["NNRUN_WRITE_SCREENSHOTS"] != nil
            ? Repository.file("Docs/images") : try NnrunProcess.temporaryFolder()
        let pagePNG = folder.appendingPathComponent("tutorial-page.png")
        let phone = try HeadlessChromium.framed(page, width: 400, height: 1400)
        XCTAssertEqual(try HeadlessChromium.screenshot(phone, to: pagePNG, width: HeadlessChromium.minimumWindowWidth, height: 1400).status, 0)
        try assertPNG(pagePNG, width: HeadlessChromium.minimumWindowWidth, height: 1400)

        let svg = page.deletingLastPathComponent().appendingPathComponent("tutorial.svg")
        let draw = try NnrunProcess.run(["draw", Repository.file("specs/tutorial.yaml").path, "-o", svg.path])
        XCTAssertEqual(draw.status, 0, draw.stderr)
        let svgPNG = folder.appendingPathComponent("tutorial-network.png")
        // The picture at its own size, read from its <svg width=... height=...>.
        let drawn = try String(contentsOf: svg, encoding: .utf8)
        func size(_ name: String) throws -> Int {
            let start = try XCTUnwrap(drawn.range(of: " \(name)=\"")).upperBound
            return try XCTUnwrap(Int(drawn[start...].prefix { $0.isNumber }))
        }
        let (width, height) = (max(try size("width"), HeadlessChromium.minimumWindowWidth), try size("height"))
        let shot = try HeadlessChromium.screenshot(svg, to: svgPNG, width: width, height: height)
        XCTAssertEqual(shot.status, 0)
        XCTAssertEqual(shot.consoleMessages, [])
        try assertPNG(svgPNG, width: width, height: height)
    }

    func testAThreeLayerReluSoftmaxNetworkWithABatchRendersInChromium() throws {
        _ = try checkInChromium(spec: try ExplainSpecs.reluSoftmaxBatch())
    }

    func testAnAdamSpecRendersInChromium() throws {
        _ = try checkInChromium(spec: Repository.file("specs/iris.yaml"))
    }

    /// A PNG file of the given size (its IHDR chunk).
    private func assertPNG(_ url: URL, width: Int, height: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        XCTAssertGreaterThan(bytes.count, 24, file: file, line: line)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature", file: file, line: line)
        func big(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        XCTAssertEqual(big(16), width, file: file, line: line)
        XCTAssertEqual(big(20), height, file: file, line: line)
    }
}
