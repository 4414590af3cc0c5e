import Foundation
import ZIPFoundation

/// A NumPy .npz archive (numpy.savez, numpy.savez_compressed): a zip file with one .npy file
/// per array, the member `x.npy` holding the array named `x`. Members may be stored or
/// deflated; the zip format is read by ZIPFoundation, each member's bytes by `NpyArray`.
///
/// A member is read only when asked for, and its size is checked against `maxMemberBytes`
/// both as the archive declares it and while it is inflated, so that a small archive that
/// inflates to gigabytes (a zip bomb) stops at the limit. Its CRC-32 is checked.
public struct NpzArchive {
    /// The largest array read from an archive: the data-file limit of `InputFile`.
    public static let maxMemberBytes: UInt64 = 4 << 30

    private let archive: Archive
    /// The arrays' names, in the archive's order.
    public let names: [String]

    public init(_ bytes: [UInt8]) throws(NpyArray.Problem) {
        let resave = "save the arrays again with numpy.savez(path, x=inputs, y=targets)"
        guard bytes.starts(with: [0x50, 0x4B]) else {
            let fix = bytes.starts(with: NpyArray.magic) ? "it is a .npy file: name it with 'npy: {inputs: ..., targets: ...}'"
                : resave
            throw NpyArray.Problem(
                "is not a .npz archive: it starts with \"\(NpyArray.escaped(Array(bytes.prefix(6))))\" where a zip file starts with \"PK\"",
                fix: fix)
        }
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw NpyArray.Problem("is not a readable .npz archive: the zip directory cannot be read (\(error))",
                                   fix: "the file is incomplete or damaged; " + resave)
        }
        names = archive.compactMap { $0.type == .file && $0.path.hasSuffix(".npy") ? String($0.path.dropLast(4)) : nil }
    }

    /// The array `name`, nil when the archive has no member `name.npy`.
    public func array(named name: String) -> Result<NpyArray, NpyArray.Problem>? {
        guard let entry = archive[name + ".npy"] else { return nil }
        guard entry.uncompressedSize <= Self.maxMemberBytes else {
            return .failure(NpyArray.Problem(
                "holds the array '\(name)' of \(entry.uncompressedSize) bytes; arrays are limited to \(Self.maxMemberBytes) bytes",
                fix: "split the data set or sample it down"))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(entry.uncompressedSize))
        do {
            let checksum = try archive.extract(entry) { chunk in
                guard UInt64(bytes.count + chunk.count) <= min(entry.uncompressedSize, Self.maxMemberBytes) else {
                    throw NpyArray.Problem("holds the array '\(name)', which inflates to more bytes than the archive declares",
                                           fix: "the archive is damaged; save the arrays again with numpy.savez")
                }
                bytes.append(contentsOf: chunk)
            }
            guard checksum == entry.checksum else {
                return .failure(NpyArray.Problem("holds the array '\(name)' with a wrong checksum (CRC-32): the archive is damaged",
                                                 fix: "save the arrays again with numpy.savez"))
            }
        } catch let problem as NpyArray.Problem {
            return .failure(problem)
        } catch {
            return .failure(NpyArray.Problem("holds the array '\(name)', which cannot be unpacked (\(error))",
                                             fix: "the archive is damaged; save the arrays again with numpy.savez"))
        }
        return NpyArray.read(bytes).mapError {
            NpyArray.Problem("holds the array '\(name)', which \($0.message)", fix: $0.fix)
        }
    }
}
