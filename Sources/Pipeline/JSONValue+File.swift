import Foundation
import Results

extension JSONValue {
    /// The JSON file at `path` (a results file, a golden file), read and parsed.
    public static func read(_ path: String, as kind: InputFile.Kind) throws(PipelineFailure) -> JSONValue {
        let bytes: [UInt8]
        do { bytes = try InputFile.read(path, as: kind) } catch { throw .unreadable(error) }
        do {
            return try JSONValue.parse(Data(bytes))
        } catch {
            throw .unrecognized(path: path, problem: "not valid JSON (\(error.description))")
        }
    }
}
