import Foundation
import Results

/// The shard summaries found in some folders, merged into one summary of the whole sweep;
/// `write(to:)` gathers the runs' files beside it, so that the merged folder holds what an
/// unsharded sweep's does.
public struct SweepMerge {
    /// The shard summaries, in the order read (folder by folder, files by name).
    public let parts: [SweepSummary]
    public let merged: SweepSummary
    /// The folder each run's files are in.
    private let source: [Int: String]

    public init(folders: [String]) throws(PipelineFailure) {
        var parts: [SweepSummary] = []
        var source: [Int: String] = [:]
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in files.sorted() where file.hasPrefix("shard-") && file.hasSuffix(".json") {
                let path = folder + "/" + file
                let bytes: [UInt8]
                do { bytes = try InputFile.read(path, as: .shardSummary) } catch { throw .unreadable(error) }
                guard let value = try? JSONValue.parse(Data(bytes)), let summary = SweepSummary(json: value) else {
                    throw .unrecognized(path: path, problem: "not a shard summary written by 'nnrun sweep --shard'")
                }
                parts.append(summary)
                for row in summary.rows where source[row.index] == nil { source[row.index] = folder }
            }
        }
        guard !parts.isEmpty else {
            throw .missingFiles("error: no shard-I-of-N.json files in \(folders.joined(separator: ", "))")
        }
        do {
            merged = try SweepSummary.merge(parts)
        } catch {
            throw .inconsistentShards("error: \(error)")
        }
        let missing = merged.rows.filter(\.wroteResults).compactMap { row -> String? in
            let path = (source[row.index] ?? "") + "/" + row.results
            return FileManager.default.fileExists(atPath: path) ? nil : path
        }
        if !missing.isEmpty {
            throw .missingFiles("error: \(missing.count == 1 ? "a results file" : "\(missing.count) results files") named by the shard summaries \(missing.count == 1 ? "is" : "are") missing: \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? ", ..." : "")\n"
                                + "  copy each shard's whole folder (its summary, specs and results) before merging")
        }
        self.parts = parts
        self.source = source
    }

    /// Writes summary.json and summary.csv into `folder`, and copies the runs' specs and
    /// results there: the summary names them relative to its folder.
    public func write(to folder: String) throws(PipelineFailure) {
        for row in merged.rows {
            guard let from = source[row.index] else { continue }
            for file in [row.spec, row.results] {
                try SweepMerge.copy(from + "/" + file, to: folder + "/" + file)
            }
        }
        do {
            try AtomicFile.write(merged.json.serialized(), to: folder + "/summary.json")
            try AtomicFile.write(merged.csv, to: folder + "/summary.csv")
        } catch {
            throw .unwritable(error)
        }
    }

    /// Copies a run's file into the merged folder (atomically, like every output). A file
    /// the run did not write (a run that failed before training) is skipped; a file already
    /// in place (merging into a shard's own folder) is left alone.
    private static func copy(_ from: String, to destination: String) throws(PipelineFailure) {
        let a = URL(fileURLWithPath: from).standardizedFileURL.resolvingSymlinksInPath()
        let b = URL(fileURLWithPath: destination).standardizedFileURL.resolvingSymlinksInPath()
        guard a != b else { return }
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(from, as: .runFile)
        } catch {
            if error.reason == .missing { return }
            throw .unreadable(error)
        }
        do { try AtomicFile.write(bytes, to: destination) } catch { throw .unwritable(error) }
    }
}
