/// A one-dimensional little-endian float64 array in NumPy's `.npy` format, version 1.0:
/// the magic `\x93NUMPY`, the version bytes 1 0, the header's length (2 bytes, little
/// endian), the header (a Python dict literal padded with spaces and ended by a newline so
/// that the data starts at a multiple of 64 bytes), then the values.
enum NpyEncoding {
    static func float64Vector(_ values: [Double]) -> [UInt8] {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(values.count),), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + 8 * values.count)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
        }
        return bytes
    }
}
