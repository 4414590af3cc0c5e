/// A NumPy array read from the bytes of a `.npy` file, format versions 1.0, 2.0 and 3.0
/// (numpy.lib.format):
///
///     "\x93NUMPY"  major  minor  HEADER_LEN  HEADER                          DATA
///      6 bytes     1 byte 1 byte u16 LE (1.0) Python dict literal, padded     shape x itemsize
///                                u32 LE (2.0, 3.0)  with spaces and a final "\n"  bytes
///
/// The header is ASCII (read as Latin-1, as NumPy does) in 1.0 and 2.0, UTF-8 in 3.0, and is
/// exactly `{'descr': DTYPE, 'fortran_order': BOOL, 'shape': (N, ...)}` in any key order.
/// It is read by a small parser of Python literals, never evaluated.
///
/// Element types: float64 and float32 (widened exactly to Double), and signed and unsigned
/// integers of 1, 2, 4 and 8 bytes, little- or big-endian. Refused with a reason: float16,
/// long double, complex, bool, strings, dates, objects and structured (record) dtypes.
/// Elements are handed over in C (row-major) order; a Fortran-ordered file is transposed.
///
/// Nothing here traps on any input: lengths are checked before every read and the shape's
/// product is computed with overflow checks before anything is allocated.
public struct NpyArray: Sendable, Equatable {
    public enum Elements: Sendable, Equatable {
        /// float64 or float32 values (a float32 converted exactly).
        case float([Double])
        case signed([Int64])
        case unsigned([UInt64])

        public var count: Int {
            switch self {
            case .float(let values): return values.count
            case .signed(let values): return values.count
            case .unsigned(let values): return values.count
            }
        }
    }

    /// The header's `descr`, as written (e.g. `<f8`).
    public var descr: String
    public var shape: [Int]
    /// Whether the file stored the data in Fortran (column-major) order; `elements` are
    /// row-major either way.
    public var fortranOrder: Bool
    /// Row-major (C order), `shape`'s product of them.
    public var elements: Elements
    public var version: (major: UInt8, minor: UInt8) { (major, minor) }
    private var major: UInt8
    private var minor: UInt8

    /// Why a file is not a readable .npy array: `message` follows the file's name
    /// ("'x.npy' is truncated: ..."), `fix` says what to do about it.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var fix: String

        public init(_ message: String, fix: String) {
            self.message = message
            self.fix = fix
        }

        public var description: String { message }
    }

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"
    static let resave = "save the array again with numpy.save(path, array)"

    /// The shape the way NumPy prints it: `(3,)`, `(3, 2)`, `()`.
    public static func describe(shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    // MARK: Reading

    public static func read(_ bytes: [UInt8]) -> Result<NpyArray, Problem> {
        do {
            return .success(try parse(bytes))
        } catch let problem as Problem {
            return .failure(problem)
        } catch {
            return .failure(Problem("cannot be read: \(error)", fix: resave))
        }
    }

    /// The prologue (magic, version, header), then the data.
    private static func parse(_ bytes: [UInt8]) throws -> NpyArray {
        let (major, minor, headerStart, headerLength) = try prologue(bytes)
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        let header = try Header(parsing: try headerScalars(headerBytes, major: major))
        let type = try ElementType(descr: header.descr)
        let dataStart = headerStart + headerLength
        let (count, dataBytes) = try dataSize(header, type: type, available: bytes.count - dataStart)
        let elements = bytes.withUnsafeBytes { raw in
            type.decode(UnsafeRawBufferPointer(rebasing: raw[dataStart..<(dataStart + dataBytes)]), count: count)
        }
        return NpyArray(descr: header.descr, shape: header.shape, fortranOrder: header.fortranOrder,
                        elements: header.fortranOrder ? cOrder(elements, shape: header.shape) : elements,
                        major: major, minor: minor)
    }

    /// The format version, and where the header starts and how long it is, checked against
    /// the file's length.
    private static func prologue(_ bytes: [UInt8]) throws -> (major: UInt8, minor: UInt8, headerStart: Int, headerLength: Int) {
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw notNpy(bytes)
        }
        guard bytes.count >= 8 else {
            throw Problem("is truncated: it ends inside the format version (\(bytes.count) bytes)", fix: resave)
        }
        let major = bytes[6], minor = bytes[7]
        guard [1, 2, 3].contains(major), minor == 0 else {
            throw Problem("has .npy format version \(major).\(minor); nnrun reads versions 1.0, 2.0 and 3.0",
                          fix: "save it with numpy.save, which writes version 1.0 unless the header needs more")
        }
        let lengthSize = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthSize else {
            throw Problem("is truncated: it ends inside the header length (\(bytes.count) bytes)", fix: resave)
        }
        var headerLength = 0
        for index in 0..<lengthSize { headerLength |= Int(bytes[8 + index]) << (8 * index) }
        let headerStart = 8 + lengthSize
        let available = bytes.count - headerStart
        guard headerLength <= available else {
            throw Problem("is truncated: its header is \(headerLength) bytes long but the file ends \(available) bytes into it",
                          fix: resave)
        }
        return (major, minor, headerStart, headerLength)
    }

    /// The header's characters: UTF-8 in version 3.0, Latin-1 (as NumPy reads it) before.
    private static func headerScalars(_ headerBytes: ArraySlice<UInt8>, major: UInt8) throws -> [Unicode.Scalar] {
        guard major == 3 else { return headerBytes.map { Unicode.Scalar($0) } }
        var decoded: [Unicode.Scalar] = []
        var iterator = headerBytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): decoded.append(scalar)
            case .emptyInput: return decoded
            case .error: throw Problem("has a version 3.0 header that is not valid UTF-8", fix: resave)
            }
        }
    }

    /// The number of elements and of data bytes the header declares, which must be exactly
    /// the bytes after it; the product is computed with overflow checks before anything is allocated.
    private static func dataSize(_ header: Header, type: ElementType, available: Int) throws -> (count: Int, bytes: Int) {
        var count = 1
        for dimension in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { throw sizeProblem(header, available: available, dataBytes: nil) }
            count = product
        }
        let (dataBytes, overflow) = count.multipliedReportingOverflow(by: type.size)
        if overflow || dataBytes > available {
            throw sizeProblem(header, available: available, dataBytes: overflow ? nil : dataBytes)
        }
        if dataBytes < available {
            throw Problem(
                "has \(available - dataBytes) bytes after its data: the header declares shape \(describe(shape: header.shape)) of '\(header.descr)', \(dataBytes) bytes, but \(available) bytes follow the header",
                fix: "save one array per file with numpy.save (several arrays written to one file are not read)")
        }
        return (count, dataBytes)
    }

    private static func sizeProblem(_ header: Header, available: Int, dataBytes: Int?) -> Problem {
        let declared = dataBytes.map { "\($0) bytes of data" } ?? "more data than a file can hold"
        return Problem(
            "is truncated: its header declares shape \(describe(shape: header.shape)) of '\(header.descr)', \(declared), but only \(available) bytes follow the header",
            fix: "the file is incomplete or its header is wrong; " + resave)
    }

    private static func notNpy(_ bytes: [UInt8]) -> Problem {
        if bytes.isEmpty {
            return Problem("is not a .npy file: it is empty", fix: resave)
        }
        let start = Array(bytes.prefix(magic.count))
        let fix = start.starts(with: [0x50, 0x4B, 0x03, 0x04])
            ? "it looks like a .npz archive (numpy.savez): read it with 'npz: {file: ..., inputs: x, targets: y}'"
            : resave
        return Problem("is not a .npy file: it starts with \"\(escaped(start))\" where a .npy file starts with \"\\x93NUMPY\"",
                       fix: fix)
    }

    /// Printable ASCII as is (with `\` and `"` escaped), any other byte as `\xNN`.
    static func escaped(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\""): text += "\\\""
            case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return text
    }

    /// Reorders Fortran-ordered (first index fastest) elements into C order (last index fastest).
    private static func cOrder(_ elements: Elements, shape: [Int]) -> Elements {
        guard shape.count > 1 else { return elements }
        switch elements {
        case .float(let values): return .float(cOrder(values, shape: shape))
        case .signed(let values): return .signed(cOrder(values, shape: shape))
        case .unsigned(let values): return .unsigned(cOrder(values, shape: shape))
        }
    }

    private static func cOrder<T>(_ values: [T], shape: [Int]) -> [T] {
        guard !values.isEmpty else { return values }
        // The Fortran stride of axis k is the product of the dimensions before it.
        var strides: [Int] = []
        var stride = 1
        for dimension in shape {
            strides.append(stride)
            stride &*= dimension  // bounded by values.count, which is their product
        }
        var result: [T] = []
        result.reserveCapacity(values.count)
        var index = [Int](repeating: 0, count: shape.count)
        var offset = 0
        for _ in 0..<values.count {
            result.append(values[offset])
            // Advance the C-order index: the last axis fastest.
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < shape[axis] { break }
                offset -= strides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}

// MARK: Element types

extension NpyArray {
    struct ElementType {
        enum Kind { case float, signed, unsigned }
        var kind: Kind
        var size: Int
        var bigEndian: Bool

        /// `<f8`, `>f4`, `|u1`, `<i2`, ... (byte order, kind, size in bytes).
        init(descr: String) throws {
            let scalars = Array(descr.unicodeScalars)
            let supported = "nnrun reads float64 and float32 ('<f8', '<f4') and integer class labels ('<i8', '|u1', ...), little- or big-endian"
            let convert = "convert it before saving: numpy.save(path, array.astype(numpy.float64))"
            guard let order = scalars.first, "<>|=".unicodeScalars.contains(order), scalars.count >= 2 else {
                throw Problem("has the element type '\(descr)', which is not a NumPy type string such as '<f8'",
                              fix: NpyArray.resave)
            }
            let code = scalars[1]
            let sizeText = String(String.UnicodeScalarView(scalars[2...]))
            let size = sizeText.utf8.allSatisfy { (0x30...0x39).contains($0) } ? Int(sizeText) : nil
            switch (code, size) {
            case ("f", 8?), ("f", 4?):
                kind = .float
            case ("i", 1?), ("i", 2?), ("i", 4?), ("i", 8?):
                kind = .signed
            case ("u", 1?), ("u", 2?), ("u", 4?), ("u", 8?):
                kind = .unsigned
            default:
                let what: String
                switch code {
                case "f" where size == 2: what = "float16 values"
                case "f": what = "long double (extended precision) values"
                case "c": what = "complex numbers"
                case "O": what = "Python objects, which cannot be read without running Python code"
                case "b": what = "booleans"
                case "U": what = "Unicode strings"
                case "S", "a": what = "byte strings"
                case "M": what = "dates (datetime64)"
                case "m": what = "time spans (timedelta64)"
                case "V": what = "raw bytes (a void or record dtype)"
                case "i", "u": what = "\(sizeText)-byte integers"
                default: what = "elements of an unknown type"
                }
                throw Problem("holds \(what) ('\(descr)'); \(supported)",
                              fix: code == "O" ? "save a numeric array: numpy.save(path, numpy.asarray(array, dtype=numpy.float64))"
                                  : convert)
            }
            self.size = size ?? 0
            // '|' means "byte order does not apply", so only for 1-byte elements; '=' is native.
            if order == "|" && self.size != 1 {
                throw Problem("has the element type '\(descr)' with no byte order ('|') for \(self.size)-byte elements",
                              fix: "write '<\(code)\(self.size)' (little-endian) or '>\(code)\(self.size)' (big-endian); " + NpyArray.resave)
            }
            bigEndian = order == ">" || (order == "=" && 1.bigEndian == 1)
        }

        func decode(_ data: UnsafeRawBufferPointer, count: Int) -> Elements {
            // One pass from the bytes to the elements: no intermediate array of words, which
            // for a large file would be one more copy of it in memory at the peak.
            func elements<Word: FixedWidthInteger, Element>(_: Word.Type, _ convert: (Word) -> Element) -> [Element] {
                (0..<count).map { index in
                    let word = data.loadUnaligned(fromByteOffset: index * size, as: Word.self)
                    return convert(bigEndian ? Word(bigEndian: word) : Word(littleEndian: word))
                }
            }
            switch (kind, size) {
            case (.float, 8): return .float(elements(UInt64.self) { Double(bitPattern: $0) })
            case (.float, _): return .float(elements(UInt32.self) { Double(Float(bitPattern: $0)) })
            case (.signed, 1): return .signed(elements(Int8.self) { Int64($0) })
            case (.signed, 2): return .signed(elements(Int16.self) { Int64($0) })
            case (.signed, 4): return .signed(elements(Int32.self) { Int64($0) })
            case (.signed, _): return .signed(elements(Int64.self) { $0 })
            case (.unsigned, 1): return .unsigned(elements(UInt8.self) { UInt64($0) })
            case (.unsigned, 2): return .unsigned(elements(UInt16.self) { UInt64($0) })
            case (.unsigned, 4): return .unsigned(elements(UInt32.self) { UInt64($0) })
            case (.unsigned, _): return .unsigned(elements(UInt64.self) { $0 })
            }
        }
    }
}

// MARK: The header

extension NpyArray {
    /// `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }`: exactly these three keys.
    struct Header {
        var descr: String
        var fortranOrder: Bool
        var shape: [Int]

        init(parsing scalars: [Unicode.Scalar]) throws {
            var parser = PythonLiteralParser(scalars)
            let value: PythonLiteral
            do {
                value = try parser.parseAll()
            } catch let error as PythonLiteralParser.SyntaxError {
                throw Problem("has a header that is not a Python dict literal: \(error.message)", fix: NpyArray.resave)
            }
            guard case .dict(let pairs) = value else {
                throw Problem("has a header that is \(value.kindDescription), not a dict", fix: NpyArray.resave)
            }
            var seen: [String: PythonLiteral] = [:]
            for (key, value) in pairs {
                let expected = ["descr", "fortran_order", "shape"]
                guard expected.contains(key) else {
                    throw Problem("has the unexpected key '\(key)' in its header; a .npy header has exactly 'descr', 'fortran_order' and 'shape'",
                                  fix: NpyArray.resave)
                }
                guard seen[key] == nil else {
                    throw Problem("has the key '\(key)' twice in its header", fix: NpyArray.resave)
                }
                seen[key] = value
            }
            for key in ["descr", "fortran_order", "shape"] where seen[key] == nil {
                throw Problem("has no '\(key)' in its header; a .npy header has exactly 'descr', 'fortran_order' and 'shape'",
                              fix: NpyArray.resave)
            }
            switch seen["descr"] {
            case .string(let text)?:
                descr = text
            case .list?:
                throw Problem("holds a structured array (a record dtype with named fields); nnrun reads plain numeric arrays",
                              fix: "save the inputs and the targets each as a plain float array with numpy.save")
            case let other?:
                throw Problem("has a header whose 'descr' is \(other.kindDescription); expected a type string such as '<f8'",
                              fix: NpyArray.resave)
            case nil:
                descr = ""  // reported above
            }
            guard case .bool(let fortran)? = seen["fortran_order"] else {
                throw Problem("has a header whose 'fortran_order' is \(seen["fortran_order"]?.kindDescription ?? "missing"); expected True or False",
                              fix: NpyArray.resave)
            }
            fortranOrder = fortran
            guard case .tuple(let dimensions)? = seen["shape"] else {
                throw Problem("has a header whose 'shape' is \(seen["shape"]?.kindDescription ?? "missing"); expected a tuple such as (3, 2)",
                              fix: NpyArray.resave)
            }
            shape = []
            for dimension in dimensions {
                guard case .integer(let size) = dimension, size >= 0 else {
                    throw Problem("has a header whose 'shape' holds \(dimension.kindDescription); expected whole numbers of 0 or more",
                                  fix: NpyArray.resave)
                }
                shape.append(size)
            }
        }
    }
}
