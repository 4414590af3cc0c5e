import Foundation
import TestSupport
import XCTest

/// The spec's JSON Schema (Docs/schemas/spec.schema.json, `nnrun schema spec`) agrees with
/// nnrun's own validation: it accepts every spec `nnrun validate` accepts, and refuses every
/// spec of the bad-spec corpus whose rule a JSON Schema can state. The judge is Python's
/// jsonschema (an independent validator), reading YAML as editors do (YAML 1.2's core
/// schema; Fixtures/validate_schema.py).
final class SpecSchemaTests: XCTestCase {
    /// Bad specs whose rule no JSON Schema can state, each with the reason. A JSON Schema
    /// sees the JSON value a YAML reader makes of the file: not the spelling of a scalar, not
    /// duplicate keys or aliases (the reader has already merged or expanded them), not files
    /// on disk, and it cannot relate one value to another (a row's length to `units`) or
    /// single out the last layer.
    static let beyondTheSchema: [String: String] = [
        // The spelling of a scalar: YAML 1.2 reads each of these as a number.
        "hex-number.yaml": "0x10 is the number 16 in YAML 1.2; nnrun takes only the JSON number grammar",
        "leading-dot-number.yaml": ".5 is the number 0.5 in YAML 1.2",
        "leading-zeros.yaml": "010 is the number 10 in YAML 1.2",
        "plus-sign-number.yaml": "+1 is the number 1 in YAML 1.2",
        "whole-number-in-exponent-form.yaml": "1e3 is 1000, and a JSON Schema integer is any number with no fraction",
        // Not finite: JSON has no infinity or NaN, so no JSON Schema keyword speaks of them.
        "infinity-number.yaml": ".inf is outside JSON's numbers",
        "nan-number.yaml": ".nan is outside JSON's numbers",
        "overflowing-number.yaml": "1e400 overflows to infinity, outside JSON's numbers",
        // What the YAML reader resolves before any schema sees the document.
        "duplicate-key.yaml": "the reader keeps one of the two keys",
        "empty-layer-name.yaml": "an empty value is null, like ~, which nnrun reads as the name '~'",
        // Files.
        "csv-column-missing.yaml": "the CSV file's header",
        "csv-row-extra-field.yaml": "the CSV file's rows",
        "csv-row-missing-field.yaml": "the CSV file's rows",
        "csv-file-missing.yaml": "whether the file exists",
        "csv-non-numeric-cell.yaml": "the CSV file's cells",
        "one-hot-unknown-class.yaml": "the CSV file's labels",
        "npy-file-missing.yaml": "whether the file exists",
        "npy-label-out-of-range.yaml": "the .npy file's labels against the output units",
        "npy-truncated.yaml": "the .npy file's bytes",
        "npy-wrong-shape.yaml": "the .npy file's shape against model.inputs",
        "npy-row-counts-differ.yaml": "the row counts of two .npy files",
        "npy-not-finite.yaml": "the .npy file's values",
        "weights-npy-wrong-shape.yaml": "the shape of a parameter .npy file against units and inputs",
        "init-from-other-architecture.yaml": "the layers of the results file init_from names",
        "init-from-missing-file.yaml": "whether the file exists",
        "csv-text-after-closing-quote.yaml": "the CSV file's quoting",
        "csv-inferred-classes-count.yaml": "the CSV file's distinct labels against the output units",
        "npy-int64-inexact.yaml": "the .npy file's integers",
        "npz-missing-array.yaml": "the arrays the .npz archive holds",
        "npz-not-an-archive.yaml": "the .npz file's bytes",
        // One value against another.
        "batch-larger-than-data.yaml": "the batch size against the number of samples",
        "validation-split-holds-out-nothing.yaml": "floor(split x samples) against the number of samples",
        "scale-overflow.yaml": "the CSV file's values",
        "cross-entropy-targets-not-a-distribution.yaml": "the sum of the targets (the schema checks that they are not negative)",
        "duplicate-layer-names.yaml": "uniqueness of one key across the layers (uniqueItems compares whole layers)",
        "format-2-name-taken-by-default.yaml": "a name against the position-based default names of the other layers",
        "per-unit-bias-wrong-length.yaml": "the bias list's length against units",
        "sample-inputs-wrong-width.yaml": "a sample's inputs against model.inputs",
        "sample-targets-wrong-width.yaml": "a sample's targets against the output layer's units",
        "short-weight-row.yaml": "a row's length against the layer's inputs",
        "too-many-weight-rows.yaml": "the number of rows against units",
        "weight-row-wider-than-previous-layer.yaml": "a row's length against the previous layer's units",
        "trace-step-beyond-steps.yaml": "a traced step against training.steps",
        "uniform-low-not-below-high.yaml": "low against high",
        "transposed-weights.yaml": "the matrix's shape against units and the layer's inputs",
        "too-many-drawn-weights.yaml": "units times the layer's inputs against a limit",
        "outputs-at-a-middle-step.yaml": "a check's step against the quantity it checks",
        "quantity-index-out-of-range.yaml": "a check's index against the shape of its quantity",
    ]

    /// Valid specs the schema cannot accept, each with the reason.
    static let validBeyondTheSchema: [String: String] = [
        // nnrun ignores tags (Docs/spec-format.md); a YAML reader applies them: !!str 0.6 is a
        // string where a number belongs, and a reader refuses a tag it does not know.
        "tags-are-ignored.yaml": "YAML tags change what a YAML reader makes of a value; nnrun ignores them",
        // YAML 1.2 makes U+2028 an ordinary character; libyaml, under PyYAML as under every
        // YAML 1.1 reader, breaks the comment's line there and reads its rest as a key.
        "line-separator-in-comment.yaml": "a YAML 1.1 reader takes the U+2028 in a comment for a line break; nnrun follows YAML 1.2",
    ]

    /// Specs written for this test: valid specs an editor reading YAML 1.2 sees with numbers,
    /// booleans and nulls where nnrun reads names; a .npz data source; a one_hot without classes.
    static let fixtures = ["scalar-names.yaml", "npz-uint8-images.yaml", "unlisted-classes.yaml", "extends-partial-child.yaml"]

    private var python: URL { URL(fileURLWithPath: "/usr/bin/env") }
    private var script: String { Repository.file("Tests/CLITests/Fixtures/validate_schema.py").path }
    private var schema: String { Repository.file("Docs/schemas/spec.schema.json").path }

    private func requirePython() throws {
        try TestSupport.requirePython("import jsonschema, yaml; yaml.CSafeLoader",
                                      else: "python3 with jsonschema and PyYAML (built with libyaml) is needed: pip install jsonschema pyyaml")
    }

    /// The files the schema accepts, and the others with the first reason.
    private func judge(_ files: [String]) throws -> (accepted: Set<String>, rejected: [String: String]) {
        let output = try NnrunProcess.run(["python3", script, "--accepted", schema] + files, executable: python)
        XCTAssertEqual(output.status, 0, output.stderr)
        var accepted = Set<String>(), rejected: [String: String] = [:]
        for line in output.stdout.split(separator: "\n").map(String.init) {
            if line.hasPrefix("REJECTED ") {
                let rest = line.dropFirst("REJECTED ".count)
                guard let file = files.first(where: { rest.hasPrefix($0 + ": ") }) else { continue }
                rejected[file] = String(rest.dropFirst(file.count + 2))
            } else {
                accepted.insert(line)
            }
        }
        XCTAssertEqual(accepted.count + rejected.count, files.count, output.stdout)
        return (accepted, rejected)
    }

    func testEverySpecNnrunAcceptsIsValidForTheSchema() throws {
        try requirePython()
        let scratch = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var valid = validSpecs(try repositorySpecs() + writeSpecsOfTestSources(into: scratch))
        // `nnrun validate` leaves the sweep: section to `nnrun sweep`: a spec whose sweep
        // that refuses is not valid.
        let sweeps = try sweepExpansions(of: valid, into: scratch)
        valid = valid.filter { !sweeps.refused.contains($0) } + validSpecs(sweeps.runs)
        // The corpus cannot silently shrink: the shipped specs, this test's fixtures and the
        // six runs of the tutorial sweep are all in it.
        for name in ["specs/tutorial.yaml", "specs/iris.yaml"] + Self.fixtures.map({ "Tests/CLITests/Fixtures/specs/\($0)" }) {
            XCTAssertTrue(valid.contains(Repository.file(name).path), "\(name) is valid and judged")
        }
        XCTAssertGreaterThanOrEqual(valid.filter { $0.hasPrefix(scratch.path) }.count, 6 + 10, "sweep runs and specs of the test sources")

        let (_, rejected) = try judge(valid)
        let unexpected = rejected.filter { Self.validBeyondTheSchema[URL(fileURLWithPath: $0.key).lastPathComponent] == nil }
            .map { "\($0.key): \($0.value)" }.sorted()
        XCTAssertEqual(unexpected, [], "valid specs the schema refuses")
        for name in Self.validBeyondTheSchema.keys {
            XCTAssertTrue(rejected.keys.contains { $0.hasSuffix("/" + name) }, "\(name) is listed as beyond the schema but the schema accepts it (or it is gone)")
        }
    }

    func testBadSpecsAreRefusedWhereTheSchemaCanStateTheRule() throws {
        try requirePython()
        let folder = Repository.file("Tests/ValidationTests/BadSpecs")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0).path }
        // That nnrun refuses each of them is BadSpecCorpusTests' to check.
        XCTAssertGreaterThan(files.count, 35)
        let (accepted, _) = try judge(files)
        let acceptedNames = Set(accepted.map { URL(fileURLWithPath: $0).lastPathComponent })
        let missed = acceptedNames.subtracting(Self.beyondTheSchema.keys)
        XCTAssertEqual(missed, [], "bad specs the schema accepts though it can state their rule")
        let caught = Set(Self.beyondTheSchema.keys).subtracting(acceptedNames)
        XCTAssertEqual(caught, [], "listed as beyond the schema, yet refused by it (or gone from the corpus): remove from the list")
    }

    // MARK: The specs

    /// The files `nnrun validate` accepts, in their order (several validations at once).
    private func validSpecs(_ files: [String]) -> [String] {
        final class Verdicts: @unchecked Sendable {
            let lock = NSLock()
            var valid: [Bool]
            init(_ count: Int) { valid = Array(repeating: false, count: count) }
        }
        let verdicts = Verdicts(files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let isValid = (try? NnrunProcess.run(["validate", files[index]]).status) == 0
            verdicts.lock.withLock { verdicts.valid[index] = isValid }
        }
        return zip(files, verdicts.valid).filter(\.1).map(\.0)
    }

    /// Every .yaml file under specs/ and Tests/ (the hostile inputs nnrun is known to
    /// mishandle are left out; generated templates are not files until their test runs).
    private func repositorySpecs() throws -> [String] {
        var files: [String] = []
        for folder in ["specs", "Tests"] {
            let root = Repository.file(folder)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "yaml" {
                let path = url.standardizedFileURL.path
                if path.contains("/known-problems/") || path.contains("/BadSpecs/") { continue }
                files.append(path)
            }
        }
        return files.sorted()
    }

    /// The specs written in the test sources as Swift multi-line string literals (without
    /// interpolation), each into a file of its own.
    private func writeSpecsOfTestSources(into folder: URL) throws -> [String] {
        var files: [String] = []
        let root = Repository.file("Tests")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        for case let url as URL in walker where url.pathExtension == "swift" {
            let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            var index = 0
            while index < lines.count {
                defer { index += 1 }
                let opening = lines[index].trimmingCharacters(in: .whitespaces)
                guard opening.hasSuffix("\"\"\""), opening.components(separatedBy: "\"\"\"").count == 2 else { continue }
                guard let close = lines[(index + 1)...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\"\"\"") })
                else { break }
                let body = Array(lines[(index + 1)..<close])
                let indent = lines[close].prefix { $0 == " " }.count
                index = close
                let text = body.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }.joined(separator: "\n")
                guard text.hasPrefix("nnrun:") || text.contains("\nnnrun:"), !text.contains("\\") else { continue }
                let file = folder.appendingPathComponent("\(url.deletingPathExtension().lastPathComponent)-line\(close).yaml")
                try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
                files.append(file.path)
            }
        }
        return files.sorted()
    }

    /// The specs `nnrun sweep` writes for each run of every spec with a sweep, and the
    /// specs whose sweep it refuses.
    private func sweepExpansions(of specs: [String], into folder: URL) throws -> (runs: [String], refused: Set<String>) {
        var runs: [String] = [], refused = Set<String>()
        for (index, spec) in specs.enumerated() {
            // Bytes, not text: a spec may be UTF-16.
            guard String(decoding: try Data(contentsOf: URL(fileURLWithPath: spec)), as: UTF8.self).contains("\nsweep:")
            else { continue }
            let output = folder.appendingPathComponent("sweep-\(index)")
            let sweep = try NnrunProcess.run(["sweep", spec, "-o", output.path, "--quiet"])
            if sweep.status == 64 || sweep.status == 65 {
                refused.insert(spec)
                continue
            }
            runs += try FileManager.default.contentsOfDirectory(atPath: output.path)
                .filter { $0.hasSuffix(".yaml") }.map { output.appendingPathComponent($0).path }
        }
        return (runs.sorted(), refused)
    }
}
