#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import YAMLSource

/// Every file nnrun reads (specs, data files, results files, shard summaries): one reader,
/// one size limit per kind of file, one set of messages.
///
/// The bytes are read straight into the array that keeps them: Foundation's
/// `contents(atPath:)` gives a `Data` that then has to be copied into `[UInt8]`, which for
/// a 50 MB data file is one more copy of it in memory at the peak. The limit is checked
/// against the size the file reports before anything is read (a 10 GB file costs nothing)
/// and again while reading, so that a pipe or `/dev/zero` stops at the limit too.
public enum InputFile {
    /// What a file is to nnrun: it names the file in messages and sets its size limit.
    public enum Kind: Sendable {
        case spec, dataFile, resultsFile, goldenFile, shardSummary, runFile
        /// New samples' inputs (`nnrun predict --inputs`).
        case inputsFile

        /// `cannot read the <name>`.
        public var name: String {
            switch self {
            case .spec: "spec"
            case .dataFile: "data file"
            case .resultsFile: "results file"
            case .goldenFile: "golden file"
            case .shardSummary: "shard summary"
            case .runFile: "run's file"
            case .inputsFile: "inputs file"
            }
        }

        /// `<plural> are limited to N bytes`.
        var plural: String {
            switch self {
            case .spec: "specs"
            case .dataFile: "data files"
            case .resultsFile, .goldenFile: "results files"
            case .shardSummary: "shard summaries"
            case .runFile: "a run's files"
            case .inputsFile: "inputs files"
            }
        }

        /// The largest file of this kind that is read. A spec's is the YAML loader's (specs
        /// hold data inline only for small sets); a data file may be as large as the default
        /// `--max-memory`, above which its run could not be planned anyway; a JSON file is
        /// parsed into a tree several times its size, so it is held to a quarter of that.
        public var maxBytes: Int {
            switch self {
            case .spec: YAMLLoader.Limits().maxBytes
            case .dataFile, .runFile, .inputsFile: 4 << 30
            case .resultsFile, .goldenFile, .shardSummary: 1 << 30
            }
        }

        /// Said after the reason when the file does not exist.
        var whenMissing: String? {
            self == .goldenFile ? "create it with --update-golden" : nil
        }
    }

    /// Why a file was not read.
    public enum Reason: Sendable, Equatable {
        case missing
        case folder
        /// The size the file reports, or nil when it reports none (a pipe) and reading went past the limit.
        case tooLarge(size: Int?, limit: Int)
        /// The system's words for what went wrong (open(2), fstat(2) or read(2)'s errno).
        case system(String)
    }

    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var kind: Kind
        public var reason: Reason

        /// The reason alone: `no such file`, `the file is 20000000 bytes; specs are limited to 16777216 bytes`.
        public var reasonText: String {
            switch reason {
            case .missing:
                return "no such file" + (kind.whenMissing.map { "; " + $0 } ?? "")
            case .folder:
                return kind == .spec ? "it is a folder, not a spec file" : "it is a folder, not a file"
            case .tooLarge(let size?, let limit):
                return "the file is \(size) bytes; \(kind.plural) are limited to \(limit) bytes"
            case .tooLarge(nil, let limit):
                return "the file has more than \(limit) bytes; \(kind.plural) are limited to \(limit) bytes"
            case .system(let text):
                return text
            }
        }

        /// `PATH: error: cannot read the results file: no such file`.
        public var description: String { "\(path): error: cannot read the \(kind.name): \(reasonText)" }
    }

    /// The file's bytes, or why they could not be read.
    public static func read(_ path: String, as kind: Kind) throws(ReadError) -> [UInt8] {
        let limit = kind.maxBytes
        func failure(_ reason: Reason) -> ReadError { ReadError(path: path, kind: kind, reason: reason) }
        func systemFailure(_ code: Int32) -> ReadError {
            switch code {
            case ENOENT: failure(.missing)
            case EISDIR: failure(.folder)
            // The system's words, lowercased to read as the rest of the message ("permission denied").
            default: failure(.system(String(cString: strerror(code)).lowercased()))
            }
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemFailure(errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw systemFailure(errno) }
        // open(2) opens a folder for reading; read(2) would then fail with EISDIR.
        if status.st_mode & S_IFMT == S_IFDIR { throw failure(.folder) }
        let size = max(Int(status.st_size), 0)
        if size > limit { throw failure(.tooLarge(size: size, limit: limit)) }
        var bytes = [UInt8](repeating: 0, count: size)
        var count = 0
        while true {
            var read: Int
            if count < bytes.count {
                read = bytes.withUnsafeMutableBytes { buffer in
                    systemRead(descriptor, buffer.baseAddress.unsafelyUnwrapped + count, buffer.count - count)
                }
            } else {
                // Full at the size fstat gave: look for more (a file that grew, a pipe), up to the limit.
                if count > limit { throw failure(.tooLarge(size: nil, limit: limit)) }
                var more = [UInt8](repeating: 0, count: 65536)
                read = more.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
                if read > 0 { bytes.append(contentsOf: more[0..<read]) }
            }
            if read < 0 {
                let code = errno
                if code == EINTR { continue }
                throw systemFailure(code)
            }
            if read == 0 { break }
            count += read
        }
        if count > limit { throw failure(.tooLarge(size: nil, limit: limit)) }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}
