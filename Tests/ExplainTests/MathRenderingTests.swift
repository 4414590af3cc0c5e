import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import XCTest

/// Every formula explain writes in Markdown parses as TeX: the shipped specs and a grid of
/// networks (1, 2 and 3 layers; one sample and batches; shared, per-unit and no biases;
/// each optimizer; both update orders; unit by unit and matrix form; every activation
/// and loss; numbers small enough for scientific notation; layer names with TeX's special
/// characters). The parser is matplotlib's mathtext (`TeX/check-math.py`), which refuses
/// what TeX, KaTeX and MathJax refuse: double superscripts, unbalanced braces, unknown
/// commands.
final class MathRenderingTests: XCTestCase {
    private static let python = URL(fileURLWithPath: "/usr/bin/env")

    private func requireMathtext() throws {
        try requirePython("import matplotlib.mathtext",
                          else: "python3 with matplotlib is needed to check explain's formulas: pip install matplotlib")
    }

    /// A spec of the grid: `layers` hidden and output layers given as YAML flow mappings.
    private func spec(name: String, inputs: Int, layers: [String], data: [String], training: String) -> String {
        """
        nnrun: 1
        name: \(name)
        model:
          inputs: \(inputs)
          layers:
        \(layers.map { "    - \($0)" }.joined(separator: "\n"))
        data:
        \(data.map { "  - \($0)" }.joined(separator: "\n"))
        training: \(training)
        """
    }

    private var grid: [(name: String, text: String, arguments: [String])] {
        let optimizers = ["{name: sgd}", "{name: sgd, momentum: 0.9}", "{name: sgd, momentum: 0.9, nesterov: true, weight_decay: 0.01}",
                          "{name: adam}", "{name: adam, weight_decay: 0.001}",
                          // With a learning-rate schedule (written after the optimizer in the training mapping).
                          "{name: adamw, weight_decay: 0.01}, schedule: {name: cosine, t_max: 3, every: step}",
                          "{name: rmsprop, momentum: 0.9, centered: true}, schedule: {name: step, step_size: 1, gamma: 0.5, warmup: 2, every: step}",
                          "{name: rmsprop}, schedule: {name: exponential, gamma: 0.9, warmup: 1, every: step}"]
        let oneSample = ["{inputs: [0.5, -0.25], targets: [1]}"]
        let twoSamples = oneSample + ["{inputs: [-1, 2], targets: [0]}"]
        let depths: [[String]] = [
            ["{name: out, units: 1, activation: sigmoid, weights: [[0.1, -0.2]], bias: [0]}"],
            ["{name: hidden, units: 2, activation: tanh, weights: [[0.1, 0.2], [0.3, -0.4]], bias: 0.1}",
             "{name: out, units: 1, activation: sigmoid, weights: [[0.9, -1.0]], bias: 0.2}"],
            ["{name: first_1, units: 2, activation: leaky_relu, alpha: 0.1, weights: [[0.1, 0.2], [0.3, -0.4]], bias: 0.1}",
             "{name: 'second #2 $x', units: 2, activation: relu, weights: [[0.5, -0.6], [0.7, 0.8]], bias: [0.05, -0.05]}",
             "{name: 'out|{^~}', units: 1, activation: sigmoid, weights: [[0.9, -1.0]]}"],
        ]
        var specs: [(String, String, [String])] = []
        for (d, layers) in depths.enumerated() {
            for (k, optimizer) in optimizers.enumerated() {
                for (b, data) in [oneSample, twoSamples].enumerated() {
                    // The immediate order changes only which weights the deltas read: once per depth.
                    for update in k == 0 ? ["deferred", "immediate"] : ["deferred"] {
                        let name = "grid-\(d + 1)-\(k)-\(b + 1)-\(update)"
                        let training = "{loss: binary_cross_entropy, learning_rate: 0.5, steps: 2, update: \(update), optimizer: \(optimizer)}"
                        specs.append((name, spec(name: name, inputs: 2, layers: layers, data: data, training: training), ["--step", "2"]))
                    }
                }
            }
            specs.append(("matrix-\(d + 1)", spec(name: "matrix", inputs: 2, layers: layers, data: twoSamples,
                                                  training: "{loss: binary_cross_entropy, learning_rate: 0.5, steps: 1, optimizer: {name: adam}}"),
                          ["--max-terms", "1"]))
        }
        // Softmax with cross entropy, mse with linear outputs, half squared error with
        // tiny numbers (scientific notation under a power).
        specs.append(("softmax", spec(name: "softmax", inputs: 2, layers: [
            "{name: hidden, units: 2, activation: relu, weights: [[0.5, 0.2], [-0.3, 0.8]], bias: [0.1, 0.1]}",
            "{name: output, units: 3, activation: softmax, weights: [[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]], bias: [0, 0, 0]}"],
            data: ["{inputs: [1.0, 0.5], targets: [0, 1, 0]}", "{inputs: [-1.0, 0.5], targets: [1, 0, 0]}"],
            training: "{loss: cross_entropy, learning_rate: 0.1, steps: 1}"), []))
        specs.append(("tiny", spec(name: "tiny", inputs: 1, layers: [
            "{name: hidden, units: 1, activation: tanh, weights: [[0.00001]]}",
            "{name: out, units: 1, activation: linear, weights: [[0.00002]], bias: [0.00003]}"],
            data: ["{inputs: [0.00001], targets: [0.00001]}"],
            training: "{loss: mse, learning_rate: 0.1, steps: 1, optimizer: {name: adam}}"), []))
        return specs
    }

    func testEveryFormulaOfEveryPageParsesAsTeX() throws {
        try requireMathtext()
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var pages: [String] = []
        let shipped = try FileManager.default.contentsOfDirectory(atPath: Repository.file("specs").path)
            .filter { $0.hasSuffix(".yaml") && !$0.contains("sweep") }.sorted()
        XCTAssertGreaterThanOrEqual(shipped.count, 5)
        var runs: [(spec: String, arguments: [String], page: String)] = shipped.map {
            (Repository.file("specs/\($0)").path, [], $0 + ".md")
        }
        for (name, text, arguments) in grid {
            let path = folder.appendingPathComponent(name + ".yaml")
            try text.write(to: path, atomically: true, encoding: .utf8)
            runs.append((path.path, arguments, name + ".md"))
        }
        for run in runs {
            let page = folder.appendingPathComponent(run.page).path
            let output = try NnrunProcess.run(["explain", run.spec, "-o", page] + run.arguments)
            XCTAssertEqual(output.status, 0, "\(run.spec): \(output.stderr)")
            pages.append(page)
        }
        // The shipped specs' exercises and keys: the blanks are TeX too.
        for spec in shipped {
            let page = folder.appendingPathComponent("exercise-" + spec + ".md")
            let output = try NnrunProcess.run(["explain", Repository.file("specs/\(spec)").path, "--exercise", "-o", page.path])
            XCTAssertEqual(output.status, 0, "\(spec): \(output.stderr)")
            pages += [page.path, page.deletingPathExtension().path + "-key.md"]
        }
        let check = try NnrunProcess.run(["python3", Repository.file("Tests/ExplainTests/TeX/check-math.py").path] + pages,
                                         executable: Self.python)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        print(check.stdout.split(separator: "\n").last ?? "")
    }

    /// The HTML page of every network of the grid has one well-formed <math> element per
    /// formula of its Markdown page, and no TeX command without its MathML (<merror>).
    func testEveryFormulaOfTheGridHasItsMathMLOnTheHTMLPage() throws {
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text, arguments) in grid {
            let path = folder.appendingPathComponent(name + ".yaml")
            try text.write(to: path, atomically: true, encoding: .utf8)
            let markdown = try NnrunProcess.run(["explain", path.path] + arguments)
            let html = try NnrunProcess.run(["explain", path.path, "--format", "html"] + arguments)
            XCTAssertEqual(markdown.status, 0, markdown.stderr)
            XCTAssertEqual(html.status, 0, html.stderr)
            let maths = html.stdout.components(separatedBy: "<math").dropFirst().map { "<math" + ($0.components(separatedBy: "</math>").first ?? "") + "</math>" }
            XCTAssertEqual(maths.count, HTMLPageTests.formulaCount(markdown: markdown.stdout), name)
            XCTAssertFalse(html.stdout.contains("<merror>"), name)
            for math in maths {
                let parser = XMLParser(data: Data(math.utf8))
                XCTAssertTrue(parser.parse(), "\(name): not well-formed: \(math)")
            }
        }
    }

    /// The checker itself refuses what explain used to write for deeper networks.
    func testTheCheckerRefusesADoubleSuperscript() throws {
        try requireMathtext()
        let page = try NnrunProcess.temporaryFolder().appendingPathComponent("bad.md")
        try "$$\nw^{(1)}_{1,1}^{+} = 0.5\n$$\n\nand $\\delta_{o_{1}}^{(s)}$ is fine\n".write(to: page, atomically: true, encoding: .utf8)
        let check = try NnrunProcess.run(["python3", Repository.file("Tests/ExplainTests/TeX/check-math.py").path, page.path],
                                         executable: Self.python)
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.stdout.contains("2 formulas checked, 1 refused"), check.stdout)
    }
}
