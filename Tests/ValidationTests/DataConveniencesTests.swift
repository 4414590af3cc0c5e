import DataFiles
import Diagnostics
import Foundation
import Pipeline
import Results
import Spec
import TestSupport
import Validation
import XCTest

/// Integer .npy inputs, .npz archives and inferred CSV classes. Every fixture is written by
/// NumPy in the test, and every expected value is NumPy's own reading of it
/// (`numpy.load(...).astype(numpy.float64)`, Python's `sorted`), so a reader that merely
/// agreed with itself would fail.
final class DataConveniencesTests: XCTestCase {
    // MARK: Fixtures written by NumPy

    /// Runs `script` with python3 and NumPy in a new folder; returns the folder and what the
    /// script printed (one JSON document).
    static func numpy(_ script: String) throws -> (folder: URL, printed: Any) {
        try requirePython("import numpy", else: "python3 with NumPy writes these fixtures (pip install numpy)")
        let folder = try NnrunProcess.temporaryFolder()
        let output = try NnrunProcess.run(["python3", "-c", "import json, numpy as np, zipfile\n" + script], in: folder,
                                          executable: URL(fileURLWithPath: "/usr/bin/env"))
        XCTAssertEqual(output.status, 0, output.stderr)
        let printed = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        return (folder, printed)
    }

    struct Outcome {
        var validated: ValidatedSpec?
        var diagnostics: [Diagnostic]
        var summaries: [String] { diagnostics.map(\.summary) }
    }

    static func validate(_ spec: String, in folder: URL) throws -> Outcome {
        let path = folder.appendingPathComponent("spec.yaml").path
        try Data(spec.utf8).write(to: URL(fileURLWithPath: path))
        let compilation = SpecCompilation(path: path)
        if case .valid(let validated) = compilation.outcome {
            return Outcome(validated: validated, diagnostics: compilation.diagnostics)
        }
        return Outcome(validated: nil, diagnostics: compilation.diagnostics)
    }

    /// A classifier with `units` softmax outputs validated on `csv` (columns x and label,
    /// written to d.csv in a new folder) with `one_hot: ONE_HOT`.
    static func validateClassifier(csv: String, units: Int, oneHot: String) throws -> Outcome {
        let folder = try NnrunProcess.temporaryFolder()
        try Data(csv.utf8).write(to: folder.appendingPathComponent("d.csv"))
        return try validate(spec(inputs: 1, units: units, data: "{csv: d.csv, inputs: [x], one_hot: \(oneHot)}",
                                 loss: "cross_entropy", activation: "softmax"), in: folder)
    }

    static func spec(inputs: Int, units: Int, data: String, loss: String = "mse", activation: String = "linear") -> String {
        """
        nnrun: 1
        name: data
        seed: 1
        model:
          inputs: \(inputs)
          layers:
            - {name: out, units: \(units), activation: \(activation), weights: {init: uniform, low: -0.1, high: 0.1}}
        data: \(data)
        training: {loss: \(loss), learning_rate: 0.1, steps: 1}
        """
    }

    /// Values printed by Python as `repr` strings, read back exactly.
    static func doubles(_ rows: Any?) -> [[Double]]? {
        (rows as? [[String]])?.map { $0.compactMap(Double.init) }
    }

    // MARK: Integer inputs

    static let integerTypes = ["|u1", "|i1", "<i2", ">i2", "<u2", ">u2", "<i4", ">i4", "<u4", ">u4", "<i8", ">i8", "<u8", ">u8"]

    func testIntegerInputsOfEveryWidthAndByteOrderAreConvertedExactlyAsNumPyConvertsThem() throws {
        // The extremes of each type (for 8-byte types the largest with an exact Float64), and
        // for 8-byte types 2^53 and 2^62.
        let (folder, printed) = try Self.numpy("""
            out = {}
            for i, t in enumerate(\(Self.integerTypes)):
                info = np.iinfo(np.dtype(t))
                # 64 bits: the largest values with a Float64 (the step near 2^64 is 2^11).
                top = int(info.max) + 1 - 2**11 if info.bits == 64 else int(info.max)
                big = [2**53, 2**62] if info.bits == 64 else [int(info.max), int(info.min)]
                x = np.array([[int(info.min), top], [0, 1], big], dtype=t)
                np.save(f"x{i}.npy", x)
                out[str(i)] = [[repr(v) for v in row] for row in np.load(f"x{i}.npy").astype(np.float64).tolist()]
            np.save("y.npy", np.array([[0.5], [1.5], [2.5]]))
            print(json.dumps(out))
            """)
        let expected = try XCTUnwrap(printed as? [String: Any])
        for (index, type) in Self.integerTypes.enumerated() {
            let outcome = try Self.validate(Self.spec(inputs: 2, units: 1, data: "{npy: {inputs: x\(index).npy, targets: y.npy}}"),
                                            in: folder)
            XCTAssertEqual(outcome.summaries, [], type)
            XCTAssertEqual(outcome.validated?.samples.map(\.inputs), Self.doubles(expected["\(index)"]), type)
        }
    }

    func testAnInt64BeyondTwoToThe53WithoutAnExactFloat64IsALocatedErrorNotARounding() throws {
        // 2^53 + 1 and 2^63 - 1 have no Float64; 2^62 has one.
        let (folder, _) = try Self.numpy("""
            np.save("x.npy", np.array([[1, 2**62], [2**53 + 1, 3], [2**63 - 1, 4]], dtype="<i8"))
            np.save("u.npy", np.array([[2**64 - 1, 0]], dtype=">u8"))
            np.save("y.npy", np.array([[0.5], [1.5], [2.5]]))
            np.save("y1.npy", np.array([[0.5]]))
            print("{}")
            """)
        let outcome = try Self.validate(Self.spec(inputs: 2, units: 1, data: "{npy: {inputs: x.npy, targets: y.npy}}"), in: folder)
        XCTAssertEqual(outcome.summaries, [
            "8:22: error[NN4053]: data.npy.inputs: 'x.npy' row 1, column 0 (counting from 0): the integer 9007199254740993 is beyond 2^53 and has no exact Float64 value (2 such values in all)",
        ])
        let unsigned = try Self.validate(Self.spec(inputs: 2, units: 1, data: "{npy: {inputs: u.npy, targets: y1.npy}}"),
                                         in: folder)
        XCTAssertEqual(unsigned.diagnostics.map(\.id), [.inexactInteger])
        XCTAssertTrue(unsigned.summaries.first?.contains("the integer 18446744073709551615") == true, "\(unsigned.summaries)")
    }

    // MARK: .npz archives

    func testStoredAndDeflatedArchivesGiveTheArraysNumPyReads() throws {
        let (folder, printed) = try Self.numpy("""
            rng = np.random.default_rng(16)
            x = rng.standard_normal((5, 3))
            labels = np.array([0, 2, 1, 1, 0], dtype="<i8")
            np.savez("stored.npz", inputs=x, labels=labels)
            np.savez_compressed("deflated.npz", inputs=x.astype("<f4"), labels=labels)
            methods = [[i.compress_type for i in zipfile.ZipFile(f).infolist()] for f in ["stored.npz", "deflated.npz"]]
            out = {"methods": methods}
            for f in ["stored.npz", "deflated.npz"]:
                with np.load(f) as archive:
                    out[f] = {"x": [[repr(v) for v in row] for row in archive["inputs"].astype(np.float64).tolist()],
                              "y": archive["labels"].tolist()}
            print(json.dumps(out))
            """)
        let expected = try XCTUnwrap(printed as? [String: Any])
        // The archives really are one of each: ZIP_STORED (0) and ZIP_DEFLATED (8).
        XCTAssertEqual(expected["methods"] as? [[Int]], [[0, 0], [8, 8]])
        for file in ["stored.npz", "deflated.npz"] {
            let outcome = try Self.validate(
                Self.spec(inputs: 3, units: 3, data: "{npz: {file: \(file), inputs: inputs, targets: labels}}",
                          loss: "cross_entropy", activation: "softmax"), in: folder)
            XCTAssertEqual(outcome.summaries, [], file)
            let archive = try XCTUnwrap(expected[file] as? [String: Any])
            XCTAssertEqual(outcome.validated?.samples.map(\.inputs), Self.doubles(archive["x"]), file)
            let labels = try XCTUnwrap(archive["y"] as? [Int])
            XCTAssertEqual(outcome.validated?.samples.map(\.targets), labels.map { label in (0..<3).map { $0 == label ? 1 : 0 } })
        }
    }

    func testBadArchivesMissingMembersAndWrongArraysAreLocatedErrors() throws {
        let (folder, _) = try Self.numpy("""
            np.savez("d.npz", x=np.ones((4, 2)), y=np.ones((4, 1)), z=np.ones((4, 3)), c=np.ones((4, 2), dtype=complex))
            data = open("d.npz", "rb").read()
            open("truncated.npz", "wb").write(data[: len(data) // 2])
            open("not-zip.npz", "wb").write(b"x1,x2\\n1,2\\n")
            np.savez_compressed("deflated.npz", x=np.arange(4000.0).reshape(2000, 2), y=np.ones((2000, 1)))
            # One byte of the deflated member flipped: the inflated bytes or their CRC-32 disagree.
            damaged = bytearray(open("deflated.npz", "rb").read())
            damaged[200] ^= 0xFF
            open("damaged.npz", "wb").write(bytes(damaged))
            print("{}")
            """)
        func diagnostics(_ data: String, inputs: Int = 2) throws -> [String] {
            try Self.validate(Self.spec(inputs: inputs, units: 1, data: data), in: folder).summaries
        }
        XCTAssertEqual(try diagnostics("{npz: {file: d.npz, inputs: xx, targets: y}}"), [
            "8:35: error[NN4052]: data.npz.inputs: 'd.npz' holds no array 'xx' - did you mean 'x'?",
        ])
        XCTAssertEqual(try diagnostics("{npz: {file: d.npz, inputs: z, targets: y}}"), [
            "8:35: error[NN4010]: data.npz.inputs: 'd.npz' array 'z' has shape (4, 3); expected (N, 2): one row per sample, one column per input (model.inputs is 2)",
        ])
        XCTAssertEqual(try diagnostics("{npz: {file: d.npz, inputs: c, targets: y}}").map { String($0.prefix(92)) }, [
            "8:35: error[NN4051]: data.npz.inputs: 'd.npz' holds the array 'c', which holds complex numbe",
        ])
        let truncated = try diagnostics("{npz: {file: truncated.npz, inputs: x, targets: y}}")
        XCTAssertEqual(truncated.count, 1)
        XCTAssertTrue(truncated[0].hasPrefix("8:20: error[NN4051]: data.npz.file: 'truncated.npz' is not a readable .npz archive"),
                      "\(truncated)")
        XCTAssertEqual(try diagnostics("{npz: {file: not-zip.npz, inputs: x, targets: y}}"), [
            "8:20: error[NN4051]: data.npz.file: 'not-zip.npz' is not a .npz archive: it starts with \"x1,x2\\x0a\" where a zip file starts with \"PK\"",
        ])
        let damaged = try diagnostics("{npz: {file: damaged.npz, inputs: x, targets: y}}")
        XCTAssertEqual(damaged.count, 1)
        XCTAssertTrue(damaged[0].hasPrefix("8:41: error[NN4051]: data.npz.inputs: 'damaged.npz' holds the array 'x'"), "\(damaged)")
        XCTAssertEqual(try diagnostics("{npz: {file: none.npz, inputs: x, targets: y}}"), [
            "8:20: error[NN4005]: data.npz.file: cannot read the .npz file 'none.npz' (paths are relative to the spec's folder)",
        ])
        let missingKey = try diagnostics("{npz: {file: d.npz, inputs: x}}")
        XCTAssertEqual(missingKey.count, 1)
        XCTAssertTrue(missingKey[0].contains("data.npz") && missingKey[0].contains("'targets'"), "\(missingKey)")
    }

    // MARK: Inferred CSV classes

    /// Code-point order for text (Python's `sorted`), numeric order when every label is a number.
    func testClassesAreInferredInTheDocumentedOrder() throws {
        let (folder, printed) = try Self.numpy("""
            text = ["b", "a", "B", "10", "2", "é", "a"]
            numbers = ["10", "2", "-1", "0.5", "2"]
            for name, labels in [("text", text), ("numbers", numbers)]:
                with open(name + ".csv", "w") as f:
                    f.write("x,label\\n" + "".join(f"{i},{l}\\n" for i, l in enumerate(labels)))
            print(json.dumps({"text": sorted(set(text)), "numbers": sorted(set(numbers), key=float),
                              "rows": {"text": text, "numbers": numbers}}))
            """)
        let expected = try XCTUnwrap(printed as? [String: Any])
        for (name, units) in [("text", 6), ("numbers", 4)] {
            let outcome = try Self.validate(
                Self.spec(inputs: 1, units: units, data: "{csv: \(name).csv, inputs: [x], one_hot: {column: label}}",
                          loss: "cross_entropy", activation: "softmax"), in: folder)
            XCTAssertEqual(outcome.summaries, [], name)
            let classes = try XCTUnwrap(expected[name] as? [String])
            XCTAssertEqual(outcome.validated?.inferredClasses, classes, name)
            let rows = try XCTUnwrap((expected["rows"] as? [String: [String]])?[name])
            XCTAssertEqual(outcome.validated?.samples.map(\.targets),
                           rows.map { label in classes.map { $0 == label ? 1 : 0 } }, name)
        }
    }

    func testInferredClassesThatAreNotOnePerOutputUnitAreALocatedError() throws {
        let outcome = try Self.validateClassifier(csv: "x,label\n1,a\n2,b\n3,c\n", units: 2, oneHot: "{column: label}")
        XCTAssertEqual(outcome.summaries, [
            "8:42: error[NN4050]: data.one_hot: 'd.csv' has 3 distinct labels ('a', 'b', 'c'), so one_hot infers 3 classes; the output layer has 2 units, one per class",
        ])
    }

    /// The results file names inferred classes after `spec`; a spec that lists its classes
    /// gets no `classes` key, so its file keeps its bytes.
    func testTheResultsFileRecordsInferredClassesOnly() throws {
        let folder = try NnrunProcess.temporaryFolder()
        try Data("x,label\n1,yes\n2,no\n".utf8).write(to: folder.appendingPathComponent("d.csv"))
        func keys(_ oneHot: String) throws -> [(String, JSONValue)] {
            let path = folder.appendingPathComponent("spec.yaml").path
            try Data(Self.spec(inputs: 1, units: 2, data: "{csv: d.csv, inputs: [x], one_hot: \(oneHot)}",
                               loss: "cross_entropy", activation: "softmax").utf8).write(to: URL(fileURLWithPath: path))
            let run = try PlannedSpec(SpecCompilation(path: path), memoryLimit: .max).run()
            guard case .object(let members) = run.document() else { XCTFail("not an object"); return [] }
            return members
        }
        let inferred = try keys("{column: label}")
        XCTAssertEqual(inferred.map(\.0).prefix(5), ["format", "math_version", "spec", "classes", "status"])
        XCTAssertEqual(inferred.first { $0.0 == "classes" }?.1, .array([.string("no"), .string("yes")]))
        let listed = try keys("{column: label, classes: [no, yes]}")
        XCTAssertFalse(listed.contains { $0.0 == "classes" })
    }
}
