import Foundation
import Pipeline
import TestSupport
import XCTest

/// The files the pipeline reads and writes: one reader with one set of messages and a size
/// limit per kind of file, atomic writes, the spec's hash.
final class FileTests: XCTestCase {
    /// sha256 of the spec bytes, checked against a published test vector of SHA-256 ("abc",
    /// FIPS 180-2 appendix B.1).
    func testSpecHashIsSHA256OfTheBytes() {
        XCTAssertEqual(FileDigest.sha256(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testAFileIsReadWhole() throws {
        let path = try NnrunProcess.temporaryFolder().appendingPathComponent("r.json").path
        try AtomicFile.write("{\"a\": 1}\n", to: path)
        XCTAssertEqual(try InputFile.read(path, as: .resultsFile), Array("{\"a\": 1}\n".utf8))
    }

    /// Each reason in the words the user reads, naming the kind of file.
    func testAnUnreadableFileSaysWhyInOneWording() throws {
        let folder = try NnrunProcess.temporaryFolder()
        func message(_ path: String, _ kind: InputFile.Kind) -> String {
            do { _ = try InputFile.read(path, as: kind); return "read" } catch { return error.description }
        }
        XCTAssertEqual(message(folder.path + "/none.json", .resultsFile), "\(folder.path)/none.json: error: cannot read the results file: no such file")
        XCTAssertEqual(message(folder.path + "/none.json", .goldenFile),
                       "\(folder.path)/none.json: error: cannot read the golden file: no such file; create it with --update-golden")
        XCTAssertEqual(message(folder.path, .spec), "\(folder.path): error: cannot read the spec: it is a folder, not a spec file")
        XCTAssertEqual(message(folder.path, .shardSummary), "\(folder.path): error: cannot read the shard summary: it is a folder, not a file")
        // A path through a file: ENOTDIR, in the system's words (glibc's and Darwin's strerror agree on it).
        let file = folder.appendingPathComponent("f").path
        try AtomicFile.write("x", to: file)
        XCTAssertEqual(message(file + "/inside", .dataFile), "\(file)/inside: error: cannot read the data file: not a directory")
    }

    /// A file that reports its size is refused before it is read; the limit is the kind's.
    func testAFileOverItsKindsLimitIsRefused() throws {
        let path = try NnrunProcess.temporaryFolder().appendingPathComponent("big.yaml").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        // A sparse file one byte over 16 MiB: its size costs no disk.
        try handle.truncate(atOffset: UInt64(16 << 20) + 1)
        try handle.close()
        XCTAssertThrowsError(try InputFile.read(path, as: .spec)) { error in
            XCTAssertEqual((error as? InputFile.ReadError)?.reason, .tooLarge(size: (16 << 20) + 1, limit: 16 << 20))
            XCTAssertEqual((error as? InputFile.ReadError)?.reasonText, "the file is 16777217 bytes; specs are limited to 16777216 bytes")
        }
        XCTAssertEqual(try InputFile.read(path, as: .dataFile).count, (16 << 20) + 1, "a data file may be larger than a spec")
    }

    /// A device that reports no size and never ends stops at the limit instead of filling memory.
    func testAnEndlessFileStopsAtTheLimit() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/zero"), "needs /dev/zero")
        XCTAssertThrowsError(try InputFile.read("/dev/zero", as: .spec)) { error in
            XCTAssertEqual((error as? InputFile.ReadError)?.reasonText,
                           "the file has more than 16777216 bytes; specs are limited to 16777216 bytes")
        }
    }

    func testAtomicWriteCreatesTheFolderAndLeavesNoTemporaryFile() throws {
        let folder = try NnrunProcess.temporaryFolder().appendingPathComponent("new/deeper")
        let path = folder.appendingPathComponent("r.json").path
        try AtomicFile.write("first\n", to: path)
        try AtomicFile.write("second\n", to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "second\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["r.json"])
    }

    /// A named pipe (standing in for /dev/null and /dev/stdout, which a test must not risk
    /// replacing) is written through and stays a pipe; a rename would have replaced it.
    func testADeviceOrPipeIsWrittenThroughNotReplaced() throws {
        let path = try NnrunProcess.temporaryFolder().appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        // The read end first, without blocking, so that the writer's open does not wait.
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(reader, 0)
        defer { close(reader) }
        try AtomicFile.write("through the pipe\n", to: path)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        XCTAssertEqual(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self), "through the pipe\n")
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFIFO, "the pipe was replaced")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent), ["pipe"])
    }

    func testFailedWriteLeavesTheExistingFileWhole() throws {
        let folder = try NnrunProcess.temporaryFolder()
        let path = folder.appendingPathComponent("r.json").path
        try AtomicFile.write("kept\n", to: path)
        // Writing to a path whose "folder" is a file fails before anything is replaced.
        XCTAssertThrowsError(try AtomicFile.write("lost\n", to: path + "/inside.json"))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "kept\n")
    }
}
