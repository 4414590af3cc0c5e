#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file's bytes, read straight into the array that keeps them: Foundation's
/// `contents(atPath:)` gives a `Data` that then has to be copied into `[UInt8]`, which for
/// a 50 MB data file is one more copy of it in memory at the peak.
enum FileBytes {
    /// The bytes, or nil when the file cannot be opened or read (errno says why).
    static func read(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 0))
        var count = 0
        while true {
            var read: Int
            if count < bytes.count {
                read = bytes.withUnsafeMutableBytes { buffer in
                    systemRead(descriptor, buffer.baseAddress.unsafelyUnwrapped + count, buffer.count - count)
                }
            } else {
                // Full at the size fstat gave: look for more (a file that grew, a pipe).
                var more = [UInt8](repeating: 0, count: 4096)
                read = more.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
                if read > 0 { bytes.append(contentsOf: more[0..<read]) }
            }
            if read < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if read == 0 { break }
            count += read
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}

/// read(2), named apart from the local variables called `read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}
