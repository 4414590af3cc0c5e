import Diagnostics
import Foundation
import Spec
import DataFiles
import Validation
import XCTest

/// `data: {npy: {inputs: PATH, targets: PATH}}`: NumPy .npy files (Sources/Validation/NpyArray.swift,
/// Validator+Npy.swift).
///
/// Most files here are built byte by byte from the format's documentation
/// (numpy.lib.format: magic, version, little-endian header length, a Python dict literal
/// padded with spaces and a final newline to a multiple of 64 bytes, then the data), so a
/// reader that merely agreed with itself would fail. `Npy/` holds files written by NumPy
/// 2.4 itself, whose numbers are stated below as literals.
final class NpyDataTests: XCTestCase {
    // MARK: Building .npy files by hand

    /// A .npy file: `header` is the dict text; it is padded with spaces and ended with "\n"
    /// so that the data starts at a multiple of 64 bytes, as NumPy writes it.
    static func npy(header: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
        let lengthSize = major == 1 ? 2 : 4
        let prefix = 6 + 2 + lengthSize
        var headerBytes = Array(header.utf8)
        let total = prefix + headerBytes.count + 1
        headerBytes += [UInt8](repeating: 0x20, count: (64 - total % 64) % 64) + [0x0A]
        XCTAssertEqual((prefix + headerBytes.count) % 64, 0)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
        for index in 0..<lengthSize { bytes.append(UInt8(truncatingIfNeeded: headerBytes.count >> (8 * index))) }
        return bytes + headerBytes + data
    }

    static func npy(descr: String, fortran: Bool = false, shape: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
        npy(header: "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }",
            data: data, major: major)
    }

    static func littleEndian(_ values: [Double]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
    }

    static func bigEndian(_ values: [Double]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: $0.bitPattern.bigEndian, Array.init) }
    }

    static func float32(_ values: [Float], bigEndian: Bool = false) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: bigEndian ? $0.bitPattern.bigEndian : $0.bitPattern.littleEndian, Array.init) }
    }

    static func integers<T: FixedWidthInteger>(_ values: [T], bigEndian: Bool = false) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: bigEndian ? $0.bigEndian : $0.littleEndian, Array.init) }
    }

    /// x: 3 samples of 2 inputs; y: 3 samples of 2 targets.
    static let x = npy(descr: "<f8", shape: "(3, 2)", data: littleEndian([0.5, -1.25, 3, 1e-300, 2.5, 7]))
    static let y = npy(descr: "<f8", shape: "(3, 2)", data: littleEndian([1, 0, 0, 1, 0.25, 0.75]))

    // MARK: Validating a spec against in-memory files

    /// A spec whose data are `x.npy` and `y.npy`: `inputs: x.npy` is at 9:13, `targets: y.npy` at 10:14.
    static func spec(inputs: Int = 2, units: Int = 2, activation: String = "linear", loss: String = "mse") -> String {
        let row = "[" + Array(repeating: "0.1", count: inputs).joined(separator: ", ") + "]"
        let weights = "[" + Array(repeating: row, count: units).joined(separator: ", ") + "]"
        return """
            nnrun: 1
            name: npy
            model:
              inputs: \(inputs)
              layers:
                - {name: out, units: \(units), activation: \(activation), weights: \(weights)}
            data:
              npy:
                inputs: x.npy
                targets: y.npy
            training: {loss: \(loss), learning_rate: 0.1, steps: 1}
            """
    }

    struct Outcome {
        var samples: [ValidatedSpec.Sample]?
        var diagnostics: [Diagnostic]
        var summaries: [String] { diagnostics.map(\.summary) }
        var fixes: [String?] { diagnostics.map(\.fix) }
    }

    static func validate(_ text: String, files: [String: [UInt8]]) -> Outcome {
        let (spec, decoding) = SpecFile.decode(Array(text.utf8))
        guard let spec else { return Outcome(samples: nil, diagnostics: decoding) }
        let (validated, diagnostics) = Validator.validate(spec, decodingDiagnostics: decoding) { files[$0] }
        return Outcome(samples: validated?.samples, diagnostics: (decoding + diagnostics).sortedBySource())
    }

    static func validate(x: [UInt8] = NpyDataTests.x, y: [UInt8] = NpyDataTests.y, inputs: Int = 2, units: Int = 2,
                         activation: String = "linear", loss: String = "mse") -> Outcome {
        validate(spec(inputs: inputs, units: units, activation: activation, loss: loss), files: ["x.npy": x, "y.npy": y])
    }

    static func inputsOf(_ outcome: Outcome) -> [[Double]]? { outcome.samples?.map(\.inputs) }
    static func targetsOf(_ outcome: Outcome) -> [[Double]]? { outcome.samples?.map(\.targets) }

    // MARK: What is read

    func testFloat64RowsBecomeSamplesInOrder() {
        let outcome = Self.validate()
        XCTAssertEqual(outcome.summaries, [])
        XCTAssertEqual(Self.inputsOf(outcome), [[0.5, -1.25], [3, 1e-300], [2.5, 7]])
        XCTAssertEqual(Self.targetsOf(outcome), [[1, 0], [0, 1], [0.25, 0.75]])
    }

    func testTheHandBuiltHeaderIsTheOneNumPyWrites() {
        // numpy.save of a (3, 2) float64 array writes exactly this header (see Npy/x-f8.npy).
        let header = Array(Self.x[10..<128])
        XCTAssertEqual(String(decoding: header, as: UTF8.self),
                       "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }"
                           + String(repeating: " ", count: 58) + "\n")
        XCTAssertEqual(Array(Self.x[0..<10]), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 118, 0])
    }

    func testFloat32IsConvertedExactlyToFloat64() {
        let x = Self.npy(descr: "<f4", shape: "(2, 2)", data: Self.float32([0.1, 0.2, 1.5, -3]))
        let outcome = Self.validate(x: x, y: Self.npy(descr: "<f8", shape: "(2, 2)", data: Self.littleEndian([1, 0, 0, 1])))
        XCTAssertEqual(outcome.summaries, [])
        // The float32 nearest 0.1, widened without rounding: 0.100000001490116119384765625.
        XCTAssertEqual(Self.inputsOf(outcome), [[Double(Float(0.1)), Double(Float(0.2))], [1.5, -3]])
        XCTAssertEqual(Self.inputsOf(outcome)?[0][0], 0.100000001490116119384765625)
        XCTAssertNotEqual(Self.inputsOf(outcome)?[0][0], 0.1)
    }

    func testBigEndianFloatsAndIntegersAreByteSwapped() {
        let x = Self.npy(descr: ">f8", shape: "(3, 2)", data: Self.bigEndian([0.5, -1.25, 3, 1e-300, 2.5, 7]))
        let y = Self.npy(descr: ">f4", shape: "(3, 2)", data: Self.float32([1, 0, 0, 1, 0.25, 0.75], bigEndian: true))
        let outcome = Self.validate(x: x, y: y)
        XCTAssertEqual(outcome.summaries, [])
        XCTAssertEqual(Self.inputsOf(outcome), [[0.5, -1.25], [3, 1e-300], [2.5, 7]])
        XCTAssertEqual(Self.targetsOf(outcome), [[1, 0], [0, 1], [0.25, 0.75]])

        let labels = Self.npy(descr: ">i4", shape: "(3,)", data: Self.integers([Int32(1), 0, 1], bigEndian: true))
        XCTAssertEqual(Self.targetsOf(Self.validate(y: labels)), [[0, 1], [1, 0], [0, 1]])
    }

    func testFortranOrderIsTransposedOnRead() {
        // Column by column: the first column (0.5, 3, 2.5), then the second (-1.25, 1e-300, 7).
        let x = Self.npy(descr: "<f8", fortran: true, shape: "(3, 2)", data: Self.littleEndian([0.5, 3, 2.5, -1.25, 1e-300, 7]))
        let outcome = Self.validate(x: x)
        XCTAssertEqual(outcome.summaries, [])
        XCTAssertEqual(Self.inputsOf(outcome), [[0.5, -1.25], [3, 1e-300], [2.5, 7]])

        // A 3-D array in Fortran order: element [i][j][k] is stored at i + 2 j + 4 k.
        let cube = Self.npy(descr: "<i2", fortran: true, shape: "(2, 2, 3)", data: Self.integers((0..<12).map(Int16.init)))
        guard case .success(let array) = NpyArray.read(cube) else { return XCTFail("not read") }
        XCTAssertEqual(array.shape, [2, 2, 3])
        XCTAssertTrue(array.fortranOrder)
        XCTAssertEqual(array.elements, .signed([0, 4, 8, 2, 6, 10, 1, 5, 9, 3, 7, 11]))
    }

    func testVersion2And3Headers() {
        for major: UInt8 in [2, 3] {
            let x = Self.npy(descr: "<f8", shape: "(3, 2)", data: Self.littleEndian([0.5, -1.25, 3, 1e-300, 2.5, 7]),
                             major: major)
            XCTAssertEqual(Array(x[6..<12]), [major, 0, 116, 0, 0, 0], "a 4-byte header length")
            let outcome = Self.validate(x: x)
            XCTAssertEqual(outcome.summaries, [], "version \(major).0")
            XCTAssertEqual(Self.inputsOf(outcome), [[0.5, -1.25], [3, 1e-300], [2.5, 7]])
        }
        guard case .success(let array) = NpyArray.read(Self.npy(descr: "<f8", shape: "(1,)", data: Self.littleEndian([2]),
                                                                major: 3))
        else { return XCTFail("not read") }
        XCTAssertTrue(array.version == (3, 0))
    }

    func testHeaderVariantsPythonAccepts() {
        // Keys in any order, double quotes, no trailing comma, Python 2's long integers, newlines.
        for header in ["{'shape': (3, 2), 'fortran_order': False, 'descr': '<f8'}",
                       "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (3,2)}",
                       "{'descr': '<f8', 'fortran_order': False, 'shape': (3L, 2L), }",
                       "{'descr':'<f8','fortran_order':False,'shape':(3,2,),}",
                       "{\n 'descr': '<f8',\n 'fortran_order': False,\n 'shape': (3, 2)\n}"] {
            let x = Self.npy(header: header, data: Self.littleEndian([0.5, -1.25, 3, 1e-300, 2.5, 7]))
            let outcome = Self.validate(x: x)
            XCTAssertEqual(outcome.summaries, [], header)
            XCTAssertEqual(Self.inputsOf(outcome), [[0.5, -1.25], [3, 1e-300], [2.5, 7]], header)
        }
    }

    func testOneDimensionalInputsAndTargetsWithOneInputAndOneUnit() {
        let x = Self.npy(descr: "<f8", shape: "(3,)", data: Self.littleEndian([1, 2, 3]))
        let y = Self.npy(descr: "<f8", shape: "(3,)", data: Self.littleEndian([0.5, 1.5, 2.5]))
        let outcome = Self.validate(x: x, y: y, inputs: 1, units: 1)
        XCTAssertEqual(outcome.summaries, [])
        XCTAssertEqual(Self.inputsOf(outcome), [[1], [2], [3]])
        XCTAssertEqual(Self.targetsOf(outcome), [[0.5], [1.5], [2.5]])
        // (N, 1) is the same.
        let column = Self.npy(descr: "<f8", shape: "(3, 1)", data: Self.littleEndian([1, 2, 3]))
        XCTAssertEqual(Self.inputsOf(Self.validate(x: column, y: y, inputs: 1, units: 1)), [[1], [2], [3]])
    }

    func testIntegerLabelsOfEveryWidthAreExpandedOneHot() {
        let labels: [(String, [UInt8])] = [
            ("<i1", Self.integers([Int8(2), 0, 1, 2])), ("|i1", Self.integers([Int8(2), 0, 1, 2])),
            ("<u1", Self.integers([UInt8(2), 0, 1, 2])), ("|u1", Self.integers([UInt8(2), 0, 1, 2])),
            ("<i2", Self.integers([Int16(2), 0, 1, 2])), (">i2", Self.integers([Int16(2), 0, 1, 2], bigEndian: true)),
            ("<u2", Self.integers([UInt16(2), 0, 1, 2])), (">u2", Self.integers([UInt16(2), 0, 1, 2], bigEndian: true)),
            ("<i4", Self.integers([Int32(2), 0, 1, 2])), (">i4", Self.integers([Int32(2), 0, 1, 2], bigEndian: true)),
            ("<u4", Self.integers([UInt32(2), 0, 1, 2])), (">u4", Self.integers([UInt32(2), 0, 1, 2], bigEndian: true)),
            ("<i8", Self.integers([Int64(2), 0, 1, 2])), (">i8", Self.integers([Int64(2), 0, 1, 2], bigEndian: true)),
            ("<u8", Self.integers([UInt64(2), 0, 1, 2])), (">u8", Self.integers([UInt64(2), 0, 1, 2], bigEndian: true)),
        ]
        let x = Self.npy(descr: "<f8", shape: "(4, 2)", data: Self.littleEndian([0, 0, 0, 1, 1, 0, 1, 1]))
        for (descr, data) in labels {
            for shape in ["(4,)", "(4, 1)"] {
                let y = Self.npy(descr: descr, shape: shape, data: data)
                let outcome = Self.validate(x: x, y: y, units: 3, activation: "softmax", loss: "cross_entropy")
                XCTAssertEqual(outcome.summaries, [], "\(descr) \(shape)")
                XCTAssertEqual(Self.targetsOf(outcome), [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]], "\(descr) \(shape)")
            }
        }
    }

    func testValidationTakesTheSameForm() {
        let text = Self.spec() + """

            validation:
              npy: {inputs: vx.npy, targets: y.npy}
            """
        let vx = Self.npy(descr: "<f8", shape: "(3, 2)", data: Self.littleEndian([1, 2, 3, 4, 5, 6]))
        let outcome = Self.validate(text, files: ["x.npy": Self.x, "y.npy": Self.y, "vx.npy": vx])
        XCTAssertEqual(outcome.summaries, [])
        let (spec, _) = SpecFile.decode(Array(text.utf8))
        let validated = spec.flatMap { Validator.validate($0, readFile: { ["x.npy": Self.x, "y.npy": Self.y, "vx.npy": vx][$0] }).spec }
        XCTAssertEqual(validated?.validationSamples.map(\.inputs), [[1, 2], [3, 4], [5, 6]])
    }

    // MARK: Files written by NumPy

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Npy")

    /// Written with NumPy 2.4.6:
    ///
    ///     python3 -c 'import numpy as np; from numpy.lib import format
    ///     np.save("x-f8.npy", np.array([[0.5, -1.25], [3.0, 1e-300], [2.5, 7.0]], dtype="<f8"))
    ///     np.save("y-f4-fortran.npy", np.asfortranarray(np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], dtype="<f4")))
    ///     with open("labels-be-i2-v2.npy", "wb") as f:
    ///         format.write_array(f, np.array([1, 0, 2], dtype=">i2"), version=(2, 0))'
    func testFilesWrittenByNumPy() throws {
        func file(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(name))) }
        let x = try file("x-f8.npy"), y = try file("y-f4-fortran.npy"), labels = try file("labels-be-i2-v2.npy")
        XCTAssertEqual(x, Self.x, "the hand-built file is byte for byte what numpy.save writes")

        let outcome = Self.validate(x: x, y: y)
        XCTAssertEqual(outcome.summaries, [])
        XCTAssertEqual(Self.inputsOf(outcome), [[0.5, -1.25], [3, 1e-300], [2.5, 7]])
        XCTAssertEqual(Self.targetsOf(outcome), [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]].map { $0.map { Double(Float($0)) } })
        XCTAssertEqual(Self.targetsOf(outcome)?[2][1], 0.60000002384185791015625)
        guard case .success(let fortran) = NpyArray.read(y) else { return XCTFail("not read") }
        XCTAssertEqual(fortran.descr, "<f4")
        XCTAssertTrue(fortran.fortranOrder)

        let oneHot = Self.validate(x: x, y: labels, units: 3, activation: "softmax", loss: "cross_entropy")
        XCTAssertEqual(oneHot.summaries, [])
        XCTAssertEqual(Self.targetsOf(oneHot), [[0, 1, 0], [1, 0, 0], [0, 0, 1]])
        guard case .success(let version2) = NpyArray.read(labels) else { return XCTFail("not read") }
        XCTAssertTrue(version2.version == (2, 0))
        XCTAssertEqual(version2.descr, ">i2")
    }

    // MARK: Errors, each with its message, place and fix

    func testWrongMagic() {
        let csv = Array("x1,x2\n0.5,1\n".utf8)
        let outcome = Self.validate(x: csv)
        XCTAssertEqual(outcome.summaries, [
            #"9:13: error[NN4009]: data.npy.inputs: 'x.npy' is not a .npy file: it starts with "x1,x2\x0a" where a .npy file starts with "\x93NUMPY""#,
        ])
        XCTAssertEqual(outcome.fixes, ["save the array again with numpy.save(path, array)"])
        XCTAssertEqual(Self.validate(x: []).summaries, ["9:13: error[NN4009]: data.npy.inputs: 'x.npy' is not a .npy file: it is empty"])
        let npz: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]
        XCTAssertEqual(Self.validate(x: npz).fixes,
                       ["it looks like a .npz archive (numpy.savez): read it with 'npz: {file: ..., inputs: x, targets: y}'"])
    }

    func testUnsupportedVersion() {
        var x = Self.x
        x[6] = 4
        XCTAssertEqual(Self.validate(x: x).summaries, [
            "9:13: error[NN4009]: data.npy.inputs: 'x.npy' has .npy format version 4.0; nnrun reads versions 1.0, 2.0 and 3.0",
        ])
        x[6] = 1
        x[7] = 1
        XCTAssertEqual(Self.validate(x: x).summaries, [
            "9:13: error[NN4009]: data.npy.inputs: 'x.npy' has .npy format version 1.1; nnrun reads versions 1.0, 2.0 and 3.0",
        ])
    }

    func testTruncatedFiles() {
        // Data: 48 bytes declared, 40 present.
        XCTAssertEqual(Self.validate(x: Array(Self.x.dropLast(8))).summaries, [
            "9:13: error[NN4009]: data.npy.inputs: 'x.npy' is truncated: its header declares shape (3, 2) of '<f8', 48 bytes of data, but only 40 bytes follow the header",
        ])
        XCTAssertEqual(Self.validate(x: Array(Self.x.dropLast(8))).fixes,
                       ["the file is incomplete or its header is wrong; save the array again with numpy.save(path, array)"])
        // Inside the header.
        XCTAssertEqual(Self.validate(x: Array(Self.x.prefix(50))).summaries, [
            "9:13: error[NN4009]: data.npy.inputs: 'x.npy' is truncated: its header is 118 bytes long but the file ends 40 bytes into it",
        ])
        XCTAssertEqual(Self.validate(x: Array(Self.x.prefix(9))).summaries, [
            "9:13: error[NN4009]: data.npy.inputs: 'x.npy' is truncated: it ends inside the header length (9 bytes)",
        ])
        // Every prefix of a valid file is refused, none traps.
        for length in 0..<Self.x.count {
            XCTAssertEqual(Self.validate(x: Array(Self.x.prefix(length))).diagnostics.count, 1, "prefix of \(length) bytes")
        }
    }

    func testTrailingData() {
        XCTAssertEqual(Self.validate(x: Self.x + Self.littleEndian([1, 2])).summaries, [
            "9:13: error[NN4009]: data.npy.inputs: 'x.npy' has 16 bytes after its data: the header declares shape (3, 2) of '<f8', 48 bytes, but 64 bytes follow the header",
        ])
        XCTAssertEqual(Self.validate(x: Self.x + Self.x).fixes,
                       ["save one array per file with numpy.save (several arrays written to one file are not read)"])
    }

    func testAShapeWhoseSizeOverflowsIsRefusedBeforeAnythingIsAllocated() {
        let x = Self.npy(descr: "<f8", shape: "(4294967296, 4294967296)", data: Self.littleEndian([1]))
        XCTAssertEqual(Self.validate(x: x).summaries, [
            "9:13: error[NN4009]: data.npy.inputs: 'x.npy' is truncated: its header declares shape (4294967296, 4294967296) of '<f8', more data than a file can hold, but only 8 bytes follow the header",
        ])
        // The element count fits, the byte count does not.
        let bytes = Self.npy(descr: "<f8", shape: "(2305843009213693952,)", data: [])
        XCTAssertEqual(Self.validate(x: bytes, inputs: 1).summaries, [
            "9:13: error[NN4009]: data.npy.inputs: 'x.npy' is truncated: its header declares shape (2305843009213693952,) of '<f8', more data than a file can hold, but only 0 bytes follow the header",
        ])
        let huge = Self.npy(descr: "<f8", shape: "(99999999999999999999,)", data: [])
        XCTAssertEqual(Self.validate(x: huge, inputs: 1).summaries, [
            "9:13: error[NN4009]: data.npy.inputs: 'x.npy' has a header that is not a Python dict literal: a whole number too large for 64 bits at character 52",
        ])
    }

    func testWrongShapes() {
        let threeColumns = Self.npy(descr: "<f8", shape: "(1, 3)", data: Self.littleEndian([1, 2, 3]))
        var outcome = Self.validate(x: threeColumns)
        XCTAssertEqual(outcome.summaries, [
            "9:13: error[NN4010]: data.npy.inputs: 'x.npy' has shape (1, 3); expected (N, 2): one row per sample, one column per input (model.inputs is 2)",
        ])
        XCTAssertEqual(outcome.fixes, ["save an array of shape (samples, 2)"])
        // (2, 3) where (3, 2) belongs: probably transposed.
        let transposed = Self.npy(descr: "<f8", shape: "(2, 3)", data: Self.littleEndian([0.5, 3, 2.5, -1.25, 1e-300, 7]))
        XCTAssertEqual(Self.validate(x: transposed).fixes, ["save an array of shape (samples, 2); if its rows are the inputs, save x.T"])

        let oneDimensional = Self.npy(descr: "<f8", shape: "(6,)", data: Self.littleEndian([1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(Self.validate(x: oneDimensional).summaries, [
            "9:13: error[NN4010]: data.npy.inputs: 'x.npy' has shape (6,); expected (N, 2): one row per sample, one column per input (model.inputs is 2)",
        ])
        let scalar = Self.npy(descr: "<f8", shape: "()", data: Self.littleEndian([1]))
        XCTAssertEqual(Self.validate(x: scalar, inputs: 1).summaries, [
            "9:13: error[NN4010]: data.npy.inputs: 'x.npy' has shape (); expected (N,) or (N, 1): one row per sample, one column per input (model.inputs is 1)",
        ])
        let cube = Self.npy(descr: "<f8", shape: "(3, 2, 1)", data: Self.littleEndian([1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(Self.validate(x: cube).summaries, [
            "9:13: error[NN4010]: data.npy.inputs: 'x.npy' has shape (3, 2, 1); expected (N, 2): one row per sample, one column per input (model.inputs is 2)",
        ])

        let targets = Self.npy(descr: "<f8", shape: "(3,)", data: Self.littleEndian([1, 2, 3]))
        outcome = Self.validate(y: targets)
        XCTAssertEqual(outcome.summaries, [
            "10:14: error[NN4010]: data.npy.targets: 'y.npy' has shape (3,); expected (N, 2): one row per sample, one column per unit of the output layer (it has 2 units)",
        ])
        XCTAssertEqual(outcome.fixes,
                       ["save an array of shape (samples, 2), or integer class labels of shape (samples,) to expand one-hot"])

        let labelMatrix = Self.npy(descr: "<i8", shape: "(3, 2)", data: Self.integers([Int64(1), 0, 0, 1, 1, 0]))
        outcome = Self.validate(y: labelMatrix)
        XCTAssertEqual(outcome.summaries, [
            "10:14: error[NN4010]: data.npy.targets: 'y.npy' holds integer class labels ('<i8') of shape (3, 2); expected shape (N,) or (N, 1): one label per sample, expanded one-hot to the output layer's 2 units",
        ])
        XCTAssertEqual(outcome.fixes, [
            "save the labels as a 1-D array, or the targets as floats (y.astype(numpy.float64)) of shape (samples, units)",
        ])

        let empty = Self.npy(descr: "<f8", shape: "(0, 2)", data: [])
        XCTAssertEqual(Self.validate(x: empty).summaries, [
            "9:13: error[NN4001]: data.npy.inputs: 'x.npy' has shape (0, 2): no samples; expected at least one row",
        ])
    }

    func testLabelOutOfRange() {
        let y = Self.npy(descr: "<i8", shape: "(4,)", data: Self.integers([Int64(0), 1, 2, -1]))
        var outcome = Self.validate(x: Self.npy(descr: "<f8", shape: "(4, 2)", data: Self.littleEndian(Array(repeating: 0, count: 8))),
                                    y: y, activation: "softmax", loss: "cross_entropy")
        XCTAssertEqual(outcome.summaries, [
            "10:14: error[NN4012]: data.npy.targets: 'y.npy' row 2 (counting from 0): class label 2 is out of range; the output layer has 2 units, so labels must be 0 to 1 (2 labels out of range in all)",
        ])
        XCTAssertEqual(outcome.fixes, ["correct the labels, or give the output layer one unit per class"])

        let big = Self.npy(descr: "<u8", shape: "(3,)", data: Self.integers([UInt64(1), UInt64.max, 0]))
        outcome = Self.validate(y: big)
        XCTAssertEqual(outcome.summaries, [
            "10:14: error[NN4012]: data.npy.targets: 'y.npy' row 1 (counting from 0): class label 18446744073709551615 is out of range; the output layer has 2 units, so labels must be 0 to 1",
        ])

        // One output unit: labels 0/1 are not one-hot classes; the fix says how to use them as targets.
        let binary = Self.npy(descr: "<i8", shape: "(3,)", data: Self.integers([Int64(0), 1, 1]))
        outcome = Self.validate(y: binary, units: 1, activation: "sigmoid", loss: "binary_cross_entropy")
        XCTAssertEqual(outcome.summaries, [
            "10:14: error[NN4012]: data.npy.targets: 'y.npy' row 1 (counting from 0): class label 1 is out of range; the output layer has 1 unit, so the only valid label is 0 (2 labels out of range in all)",
        ])
        XCTAssertEqual(outcome.fixes, [
            "with one output unit, save the targets as floats (y.astype(numpy.float64)) to use 0 and 1 as target values",
        ])
    }

    func testUnsupportedElementTypes() {
        let supported = "nnrun reads float64 and float32 ('<f8', '<f4') and integer class labels ('<i8', '|u1', ...), little- or big-endian"
        let cases: [(String, String)] = [
            ("<f2", "holds float16 values ('<f2'); \(supported)"),
            ("<f16", "holds long double (extended precision) values ('<f16'); \(supported)"),
            ("<c16", "holds complex numbers ('<c16'); \(supported)"),
            ("|O", "holds Python objects, which cannot be read without running Python code ('|O'); \(supported)"),
            ("|b1", "holds booleans ('|b1'); \(supported)"),
            ("<U5", "holds Unicode strings ('<U5'); \(supported)"),
            ("|S3", "holds byte strings ('|S3'); \(supported)"),
            ("<M8[ns]", "holds dates (datetime64) ('<M8[ns]'); \(supported)"),
            ("<i16", "holds 16-byte integers ('<i16'); \(supported)"),
            ("|f8", "has the element type '|f8' with no byte order ('|') for 8-byte elements"),
            ("f8", "has the element type 'f8', which is not a NumPy type string such as '<f8'"),
        ]
        for (descr, message) in cases {
            let x = Self.npy(descr: descr, shape: "(3, 2)", data: Self.littleEndian([1, 2, 3, 4, 5, 6]))
            XCTAssertEqual(Self.validate(x: x).summaries, ["9:13: error[NN4009]: data.npy.inputs: 'x.npy' \(message)"], descr)
        }
        let float16 = Self.npy(descr: "<f2", shape: "(3, 2)", data: [])
        XCTAssertEqual(Self.validate(x: float16).fixes, ["convert it before saving: numpy.save(path, array.astype(numpy.float64))"])
        let object = Self.npy(descr: "|O", shape: "(3, 2)", data: [])
        XCTAssertEqual(Self.validate(x: object).fixes,
                       ["save a numeric array: numpy.save(path, numpy.asarray(array, dtype=numpy.float64))"])

        let structured = Self.npy(header: "{'descr': [('a', '<f8'), ('b', '<i4')], 'fortran_order': False, 'shape': (3,), }",
                                  data: [])
        var outcome = Self.validate(x: structured)
        XCTAssertEqual(outcome.summaries, [
            "9:13: error[NN4009]: data.npy.inputs: 'x.npy' holds a structured array (a record dtype with named fields); nnrun reads plain numeric arrays",
        ])
        XCTAssertEqual(outcome.fixes, ["save the inputs and the targets each as a plain float array with numpy.save"])

        // Integer inputs are read (DataConveniencesTests checks every type against NumPy).
        let integerInputs = Self.npy(descr: "<i8", shape: "(3, 2)", data: Self.integers([Int64(1), 2, 3, 4, 5, 6]))
        outcome = Self.validate(x: integerInputs)
        XCTAssertEqual(outcome.summaries, [])
        XCTAssertEqual(Self.inputsOf(outcome), [[1, 2], [3, 4], [5, 6]])
    }

    func testMalformedHeaders() {
        let cases: [(String, String)] = [
            ("{'descr': '<f8', 'fortran_order': False}",
             "has no 'shape' in its header; a .npy header has exactly 'descr', 'fortran_order' and 'shape'"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), 'extra': 1}",
             "has the unexpected key 'extra' in its header; a .npy header has exactly 'descr', 'fortran_order' and 'shape'"),
            ("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3, 2)}",
             "has the key 'descr' twice in its header"),
            ("{'descr': '<f8', 'fortran_order': 0, 'shape': (3, 2)}",
             "has a header whose 'fortran_order' is the number 0; expected True or False"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': [3, 2]}",
             "has a header whose 'shape' is a list of 2 items; expected a tuple such as (3, 2)"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (6)}",
             "has a header whose 'shape' is the number 6; expected a tuple such as (3, 2)"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (3, -2)}",
             "has a header whose 'shape' holds the number -2; expected whole numbers of 0 or more"),
            ("{'descr': 8, 'fortran_order': False, 'shape': (3, 2)}",
             "has a header whose 'descr' is the number 8; expected a type string such as '<f8'"),
            ("('descr', '<f8')", "has a header that is a tuple of 2 items, not a dict"),
            ("{'descr': '<f8' 'fortran_order': False, 'shape': (3, 2)}",
             "has a header that is not a Python dict literal: expected ',' or '}', found ''' at character 17"),
            ("{'descr': '<f8', 'fortran_order': false, 'shape': (3, 2)}",
             "has a header that is not a Python dict literal: expected a value, found 'f' at character 35"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2)} x",
             "has a header that is not a Python dict literal: expected the end of the header after the dict, found 'x' at character 59"),
            ("{'descr': '<f8", "has a header that is not a Python dict literal: unterminated string at character 11"),
            ("", "has a header that is not a Python dict literal: expected a value, found the end of the header at character 55"),
            (String(repeating: "(", count: 40),
             "has a header that is not a Python dict literal: nesting deeper than 16 levels at character 17"),
        ]
        for (header, message) in cases {
            let x = Self.npy(header: header, data: Self.littleEndian([1, 2, 3, 4, 5, 6]))
            XCTAssertEqual(Self.validate(x: x).summaries, ["9:13: error[NN4009]: data.npy.inputs: 'x.npy' \(message)"], header)
        }
        // Version 3.0 headers are UTF-8.
        var x = Self.npy(descr: "<f8", shape: "(3, 2)", data: Self.littleEndian([1, 2, 3, 4, 5, 6]), major: 3)
        x[20] = 0xFF
        XCTAssertEqual(Self.validate(x: x).summaries,
                       ["9:13: error[NN4009]: data.npy.inputs: 'x.npy' has a version 3.0 header that is not valid UTF-8"])
    }

    func testRowCountsMustMatch() {
        let y = Self.npy(descr: "<f8", shape: "(2, 2)", data: Self.littleEndian([1, 0, 0, 1]))
        let outcome = Self.validate(y: y)
        XCTAssertEqual(outcome.summaries, [
            "10:14: error[NN4013]: data.npy.targets: 'y.npy' has 2 rows but 'x.npy' has 3; expected one row of targets per row of inputs",
        ])
        XCTAssertEqual(outcome.fixes, ["save both arrays from the same samples (x.shape[0] == y.shape[0])"])
    }

    func testNonFiniteValues() {
        let x = Self.npy(descr: "<f8", shape: "(3, 2)", data: Self.littleEndian([0.5, 1, 2, .nan, .infinity, 3]))
        var outcome = Self.validate(x: x)
        XCTAssertEqual(outcome.summaries, [
            "9:13: error[NN4011]: data.npy.inputs: 'x.npy' row 1, column 1 (counting from 0): expected a finite number, found nan (2 non-finite values in all)",
        ])
        XCTAssertEqual(outcome.fixes, ["replace or drop the non-finite values before saving (numpy.isfinite finds them)"])
        // A float32 infinity in one-dimensional targets.
        let y = Self.npy(descr: "<f4", shape: "(3,)", data: Self.float32([1, 2, -.infinity]))
        outcome = Self.validate(y: y, units: 1)
        XCTAssertEqual(outcome.summaries, [
            "10:14: error[NN4011]: data.npy.targets: 'y.npy' row 2 (counting from 0): expected a finite number, found -inf",
        ])
    }

    func testTargetsMustSuitTheLoss() {
        let y = Self.npy(descr: "<f8", shape: "(3, 2)", data: Self.littleEndian([1, 0, 0.5, 0.25, 0.5, 0.25]))
        let outcome = Self.validate(y: y, activation: "softmax", loss: "cross_entropy")
        XCTAssertEqual(outcome.summaries, [
            "10:14: error[NN4003]: data.npy.targets: 'y.npy' row 1 (counting from 0): cross_entropy targets must sum to 1, found a sum of 0.75 (2 rows in all)",
        ])
        XCTAssertEqual(outcome.fixes, ["give class probabilities, e.g. one-hot [0, 1, 0]"])
    }

    func testUnreadableFilesAndBothFilesReported() {
        let outcome = Self.validate(Self.spec(), files: [:])
        XCTAssertEqual(outcome.summaries, [
            "9:13: error[NN4005]: data.npy.inputs: cannot read the .npy file 'x.npy' (paths are relative to the spec's folder)",
            "10:14: error[NN4005]: data.npy.targets: cannot read the .npy file 'y.npy' (paths are relative to the spec's folder)",
        ])
        XCTAssertEqual(outcome.fixes, ["check the path and the file's permissions", "check the path and the file's permissions"])
    }

    /// Any bytes are read or refused, never trapped on: every single-byte change of valid
    /// files (each position, a few values) and random garbage after the magic string.
    func testMutatedFilesNeverTrap() {
        let labels = Self.npy(descr: ">i2", fortran: true, shape: "(3, 1)", data: Self.integers([Int16(1), 0, 1], bigEndian: true))
        for original in [Self.x, labels] {
            for position in original.indices {
                for value: UInt8 in [0x00, 0x20, 0x27, 0x28, 0x29, 0x2C, 0x39, 0x7B, 0x7D, 0x80, 0xFF] {
                    var mutated = original
                    mutated[position] = value
                    _ = NpyArray.read(mutated)
                }
            }
        }
        let alphabet = Array("{}()[]'\",: 0123456789-LTrueFalseNonedescrshape<f8|i1\n".utf8)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<2_000 {
            let length = next() % 64
            var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length), 0]
            for _ in 0..<(length + next() % 16) { bytes.append(alphabet[next() % alphabet.count]) }
            _ = NpyArray.read(bytes)
        }
    }

    // MARK: The spec's side

    func testDecodingTheNpyForm() {
        func summaries(_ data: String) -> [String] {
            let text = Self.spec().components(separatedBy: "data:\n")[0] + data + "\ntraining: {loss: mse, learning_rate: 0.1, steps: 1}\n"
            return Self.validate(text, files: ["x.npy": Self.x, "y.npy": Self.y]).summaries
        }
        XCTAssertEqual(summaries("data: {npy: {inputs: x.npy, targets: y.npy}}"), [])
        XCTAssertEqual(summaries("data:\n  npy:\n    inputs: x.npy"), [
            "9:5: error[NN3001]: data.npy.targets: missing required key 'targets' in data.npy",
        ])
        XCTAssertEqual(summaries("data:\n  npy:\n    inputs: x.npy\n    tragets: y.npy"), [
            "10:5: error[NN2002]: data.npy.tragets: unknown key 'tragets' in npy - did you mean 'targets'?",
        ])
        XCTAssertEqual(summaries("data:\n  npy: x.npy"), [
            "8:8: error[NN2001]: data.npy: expected the .npy files as a mapping of keys to values, found 'x.npy'",
        ])
        XCTAssertEqual(summaries("data:\n  npy: {inputs: x.npy, targets: y.npy}\n  inputs: [a, b]"), [
            "9:3: error[NN2002]: data.inputs: unknown key 'inputs' in an npy data source",
        ])
        XCTAssertEqual(summaries("data:\n  csv: d.csv\n  npy: {inputs: x.npy, targets: y.npy}"), [
            "9:3: error[NN2007]: data.npy: a data source reads either a CSV file ('csv') or .npy files ('npy'), not both",
        ])
        XCTAssertEqual(summaries("data:\n  npy: {inputs: [x.npy], targets: y.npy}"), [
            "8:17: error[NN2001]: data.npy.inputs: expected a name, found a list of 1 item",
        ])
    }
}
