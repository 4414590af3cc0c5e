import Foundation
import Pipeline
import Results
import TestSupport
import XCTest

/// `nnrun predict`: on the training inputs the outputs are exactly a run's final.outputs
/// (the runner's own evaluation computes both); classification specs get their predicted
/// classes; a bad inputs file gets a located error and exit 65, never a crash.
final class PredictTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try NnrunProcess.temporaryFolder()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Read with nnrun's JSON reader, which converts each number's text with Swift's
    /// correctly rounded `Double(_:)`: Foundation's JSONSerialization on Linux can be a few
    /// ulps off, which a bitwise comparison would take for a difference.
    private func json(_ file: String) throws -> JSONValue {
        try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: file)))
    }

    private func numbers(_ value: JSONValue?) throws -> [Double] {
        guard case .array(let items)? = value else { throw Unexpected(value) }
        return try items.map { item in
            switch item {
            case .number(let number): return number
            case .integer(let integer): return Double(integer)
            default: throw Unexpected(item)
            }
        }
    }

    private func matrix(_ value: JSONValue?) throws -> [[Double]] {
        guard case .array(let rows)? = value else { throw Unexpected(value) }
        return try rows.map { try numbers($0) }
    }

    private func strings(_ value: JSONValue?) -> [String]? {
        guard case .array(let items)? = value else { return nil }
        return items.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
    }

    private struct Unexpected: Error {
        var value: JSONValue?
        init(_ value: JSONValue?) { self.value = value }
    }

    /// The results file of a run of `spec`, and its final section.
    private func run(_ spec: String) throws -> (path: String, final: JSONValue) {
        let results = path(URL(fileURLWithPath: spec).deletingPathExtension().lastPathComponent + ".results.json")
        let run = try NnrunProcess.run([spec, "-q", "-o", results])
        XCTAssertEqual(run.status, 0, run.stderr)
        return (results, try XCTUnwrap(try json(results)["final"]))
    }

    /// Bitwise equality of two tables of numbers (Foundation reads shortest round-trip text back exactly).
    private func assertSameBits(_ actual: [[Double]], _ expected: [[Double]], _ label: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        for (a, e) in zip(actual, expected) {
            XCTAssertEqual(a.map(\.bitPattern), e.map(\.bitPattern), "\(label): \(a) vs \(e)", file: file, line: line)
        }
    }

    func testOnTheTrainingCSVIrisPredictionsAreTheRunsFinalOutputsAndItsClasses() throws {
        let spec = Repository.file("specs/iris.yaml").path
        let (results, final) = try run(spec)
        let output = path("iris.predictions.json")
        let predict = try NnrunProcess.run(["predict", spec, "--results", results,
                                            "--inputs", Repository.file("specs/data/iris.csv").path, "-o", output])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let document = try json(output)
        let expected = try matrix(final["outputs"])
        assertSameBits(try matrix(document["outputs"]), expected, "iris")
        XCTAssertEqual(strings(document["output_names"]), ["setosa", "versicolor", "virginica"])
        XCTAssertEqual(strings(document["class_names"]), ["class"])

        // The class is the species with the largest output; against the file's own labels
        // they are right as often as the run's final accuracy says.
        guard case .array(let rows)? = document["classes"] else { throw Unexpected(document["classes"]) }
        let classes = rows.compactMap { strings($0)?.first }
        let names = ["setosa", "versicolor", "virginica"]
        let argmax = expected.map { row in names[row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) } ?? 0] }
        XCTAssertEqual(classes, argmax)
        let labels = try String(contentsOf: Repository.file("specs/data/iris.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { String($0.split(separator: ",").last ?? "") }
        let right = zip(classes, labels).filter { $0 == $1 }.count
        guard case .number(let accuracy)? = final["accuracy"] else { throw Unexpected(final["accuracy"]) }
        XCTAssertEqual(Double(right) / Double(labels.count), accuracy)
    }

    /// `data.scale`: predict scales the raw inputs with the training constants, so the
    /// training flowers (the file's rows the split kept, in order) get the run's final outputs.
    func testScaledInputsPredictTheRunsFinalOutputsForTheTrainingRows() throws {
        let spec = Repository.file("specs/iris-early-stopping.yaml").path
        let (results, final) = try run(spec)
        let output = path("iris-es.predictions.json")
        let predict = try NnrunProcess.run(["predict", spec, "--results", results,
                                            "--inputs", Repository.file("specs/data/iris.csv").path, "-o", output])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let all = try matrix(try json(output)["outputs"])
        guard case .object(let split)? = try json(results)["validation_split"],
              case .array(let held)? = split.first(where: { $0.0 == "validation_indices" })?.1 else {
            throw Unexpected(try json(results)["validation_split"])
        }
        let heldOut = Set(held.compactMap { if case .integer(let index) = $0 { return index }; return nil })
        XCTAssertEqual(heldOut.count, 30)
        let training = all.indices.filter { !heldOut.contains($0) }.map { all[$0] }
        assertSameBits(training, try matrix(final["outputs"]), "iris-early-stopping")
    }

    /// The constants a results file recorded must be those the spec's data gives now.
    func testResultsOfDataScaledDifferentlyAreRefused() throws {
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let csv = try String(contentsOf: Repository.file("specs/data/iris.csv"), encoding: .utf8)
        try csv.write(to: data.appendingPathComponent("iris.csv"), atomically: true, encoding: .utf8)
        let spec = path("iris-es.yaml")
        try FileManager.default.copyItem(atPath: Repository.file("specs/iris-early-stopping.yaml").path, toPath: spec)
        let (results, _) = try run(spec)
        // Every sepal length of 5.1 becomes 5.2: the training mean moves.
        try csv.replacingOccurrences(of: "\n5.1,", with: "\n5.2,")
            .write(to: data.appendingPathComponent("iris.csv"), atomically: true, encoding: .utf8)
        let predict = try NnrunProcess.run(["predict", spec, "--results", results, "--inputs", data.appendingPathComponent("iris.csv").path])
        XCTAssertNotEqual(predict.status, 0)
        XCTAssertTrue(predict.stderr.contains("the data changed since the run"), predict.stderr)
    }

    func testWithoutResultsTheSpecIsTrainedAndCSVGoesToStandardOutput() throws {
        let spec = Repository.file("specs/regression.yaml").path
        let (_, final) = try run(spec)
        // The spec's inline inputs as a CSV file with a header (positional columns).
        let text = try String(contentsOfFile: spec, encoding: .utf8)
        let inputs = text.split(separator: "\n").compactMap { line -> String? in
            guard let start = line.range(of: "inputs: ["), let end = line[start.upperBound...].firstIndex(of: "]") else { return nil }
            return String(line[start.upperBound..<end])
        }
        XCTAssertFalse(inputs.isEmpty)
        try ("x\n" + inputs.joined(separator: "\n") + "\n").write(toFile: path("x.csv"), atomically: true, encoding: .utf8)
        let predict = try NnrunProcess.run(["predict", spec, "-q", "--inputs", path("x.csv")])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let lines = predict.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "output_0")
        let outputs = lines.dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } }
        assertSameBits(outputs, try matrix(final["outputs"]), "regression")
    }

    func testNpyInputsAndBinaryClassesOfXor() throws {
        let spec = Repository.file("specs/xor.yaml").path
        let (results, final) = try run(spec)
        try Data(npy(shape: "(4, 2)", [0, 0, 0, 1, 1, 0, 1, 1])).write(to: URL(fileURLWithPath: path("x.npy")))
        let predict = try NnrunProcess.run(["predict", spec, "--results", results, "--inputs", path("x.npy"), "-o", path("p.csv")])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let lines = try String(contentsOfFile: path("p.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "output_0,class")
        let rows = lines.dropFirst().map { $0.split(separator: ",") }
        let expected = try matrix(final["outputs"])
        assertSameBits(rows.map { [Double($0[0]) ?? .nan] }, expected, "xor")
        XCTAssertEqual(rows.map { String($0[1]) }, expected.map { $0[0] > 0.5 ? "1" : "0" })
        XCTAssertEqual(rows.map { String($0[1]) }, ["0", "1", "1", "0"], "xor learned")
    }

    func testTheTutorialsInitialParametersGiveThePagesForwardPass() throws {
        // The tutorial's forward pass: out_o1 = 0.75136507, out_o2 = 0.772928465 (its text).
        try "i1,i2\n0.05,0.10\n".write(toFile: path("x.csv"), atomically: true, encoding: .utf8)
        let predict = try NnrunProcess.run(["predict", Repository.file("specs/tutorial.yaml").path, "--initial",
                                            "--inputs", path("x.csv")])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let values = try XCTUnwrap(predict.stdout.split(separator: "\n").last).split(separator: ",").compactMap { Double($0) }
        XCTAssertEqual(values[0], 0.75136507, accuracy: 5e-9)
        XCTAssertEqual(values[1], 0.772928465, accuracy: 5e-10)
    }

    // MARK: Hostile inputs

    private func refused(_ spec: String, _ inputs: String, status: Int32 = 65, saying fragments: [String],
                         file: StaticString = #filePath, line: UInt = #line) throws {
        let predict = try NnrunProcess.run(["predict", Repository.file(spec).path, "--initial", "--inputs", inputs])
        XCTAssertEqual(predict.status, status, predict.stderr, file: file, line: line)
        XCTAssertTrue(predict.stdout.isEmpty, predict.stdout, file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(predict.stderr.contains(fragment), "expected '\(fragment)' in: \(predict.stderr)", file: file, line: line)
        }
        XCTAssertFalse(predict.stderr.contains("Fatal error"), predict.stderr, file: file, line: line)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    func testBadCSVFilesAreRefusedWithTheirPlace() throws {
        try refused("specs/tutorial.yaml", try write("word.csv", "a,b\n0.1,0.2\n0.3, x\n"),
                    saying: ["word.csv:3:6: error: field 2 ('b'): expected a number, found 'x'", "fix:"])
        try refused("specs/tutorial.yaml", try write("short.csv", "0.1,0.2\n0.3\n"),
                    saying: ["short.csv:2:4: error: the row has 1 field; expected 2"])
        try refused("specs/tutorial.yaml", try write("long.csv", "a,b\n0.1,0.2,0.3\n"),
                    saying: ["long.csv:2:9: error: the row has 3 fields; the header has 2"])
        try refused("specs/tutorial.yaml", try write("empty.csv", ""), saying: ["empty.csv:1:1: error: the file is empty"])
        try refused("specs/tutorial.yaml", try write("header.csv", "a,b\n"), saying: ["header.csv:2:1: error: no rows of inputs"])
        try refused("specs/tutorial.yaml", try write("quote.csv", "a,b\n\"0.1,0.2\n"), saying: ["quote.csv"])
        try refused("specs/tutorial.yaml", try write("nan.csv", "a,b\nnan,1e400\n"),
                    saying: ["nan.csv:2:1: error: field 1 ('a'): expected a number, found 'nan'"])
        try refused("specs/iris.yaml", try write("columns.csv", "sepal_length,sepal_width,petal_length\n1,2,3\n"),
                    saying: ["columns.csv:1:1: error: the header has no column 'petal_width'"])
        try refused("specs/tutorial.yaml", try write("binary.csv", "\u{0}\u{1}\u{2},\u{FFFD}\n"), saying: ["binary.csv:"])
    }

    func testBadNpyFilesAndMissingFilesAreRefused() throws {
        try Data(npy(shape: "(2, 3)", [1, 2, 3, 4, 5, 6])).write(to: URL(fileURLWithPath: path("wide.npy")))
        try refused("specs/tutorial.yaml", path("wide.npy"), saying: ["wide.npy: error: has shape (2, 3); expected (N, 2)"])
        try Data(npy(shape: "(1, 2)", [1, .nan])).write(to: URL(fileURLWithPath: path("nan.npy")))
        try refused("specs/tutorial.yaml", path("nan.npy"), saying: ["nan.npy: error: row 0, column 1 (counting from 0) is nan"])
        try Data(npy(shape: "(0, 2)", [])).write(to: URL(fileURLWithPath: path("none.npy")))
        try refused("specs/tutorial.yaml", path("none.npy"), saying: ["none.npy: error: has shape (0, 2): no samples"])
        try Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0xFF]).write(to: URL(fileURLWithPath: path("cut.npy")))
        try refused("specs/tutorial.yaml", path("cut.npy"), saying: ["cut.npy: error: "])
        try refused("specs/tutorial.yaml", path("missing.csv"), status: 66, saying: ["missing.csv"])
        try refused("specs/tutorial.yaml", folder.path, status: 66, saying: [folder.lastPathComponent])
    }

    /// A .npy file of float64 values (little-endian, C order), its header padded as NumPy pads it.
    private func npy(shape: String, _ values: [Double]) -> [UInt8] {
        var header = Array("{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }".utf8)
        header += [UInt8](repeating: 0x20, count: (64 - (10 + header.count + 1) % 64) % 64) + [0x0A]
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header
            + values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
    }
}

/// In process, through the pipeline: a set larger than one evaluation pass, predicted in
/// another order and in part, gives each row the bits of the run's own evaluation of it.
final class PredictionPassTests: XCTestCase {
    func testEachRowsOutputsAreTheRunsWhateverRowsArePredictedWithIt() throws {
        let samples = 2 * 512 + 77
        var random = Lcg(seed: 11)
        let inputs = (0..<samples).map { _ in (0..<3).map { _ in random.next() * 4 - 2 } }
        var spec = """
            nnrun: 1
            name: passes
            seed: 5
            model:
              inputs: 3
              layers:
                - {name: hidden, units: 6, activation: tanh, weights: {init: xavier_uniform}, bias: 0.1}
                - {name: out, units: 2, activation: sigmoid, weights: {init: xavier_uniform}, bias: [0, 0]}
            training:
              loss: mse
              optimizer: sgd
              learning_rate: 0.5
              batch: 64
              steps: 40
            data:

            """
        for row in inputs { spec += "  - {inputs: [\(row.map { "\($0)" }.joined(separator: ", "))], targets: [0.25, 0.75]}\n" }
        let folder = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let specPath = folder.appendingPathComponent("passes.yaml").path
        try spec.write(toFile: specPath, atomically: true, encoding: .utf8)

        let model = try TrainedModel.load(specPath, source: .trained, memoryLimit: .max, training: { planned in
            XCTAssertLessThan(planned.plan.rowCapacity, samples, "the set takes more than one pass")
            return planned.run()
        })
        let run = try PlannedSpec.load(specPath, memoryLimit: .max).run()
        let expected = run.result.final.outputs

        let reversed = Array(inputs.indices.reversed())
        let part = [1100, 3, 700, 0, 512, 511]
        for (label, rows) in [("reversed", reversed), ("a few rows", part)] {
            let csv = folder.appendingPathComponent("x.csv").path
            try (rows.map { inputs[$0].map { "\($0)" }.joined(separator: ",") }.joined(separator: "\n") + "\n")
                .write(toFile: csv, atomically: true, encoding: .utf8)
            let prediction = try Prediction.run(model, inputsPath: csv)
            XCTAssertEqual(prediction.outputs.count, rows.count, label)
            for (position, row) in rows.enumerated() {
                XCTAssertEqual(prediction.outputs[position].map(\.bitPattern), expected[row].map(\.bitPattern), "\(label): row \(row)")
            }
        }
    }
}
