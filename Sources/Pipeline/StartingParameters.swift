import Foundation
import Results
import Validation

/// Reads `init_from`'s results file for validation: the `final.layers` of an nnrun results
/// file (Docs/results-format.md), read with the exact JSON reader, so a run continues from
/// the very bits the other run ended with.
enum StartingParameters {
    /// The reader for a spec at `specPath`: paths relative to its folder, as data files are.
    static func reader(besides specPath: String) -> Validator.ResultsReader {
        let folder = URL(fileURLWithPath: specPath).deletingLastPathComponent()
        return { named in
            let path = named.hasPrefix("/") ? named : folder.appendingPathComponent(named).path
            let bytes: [UInt8]
            do throws(InputFile.ReadError) { bytes = try InputFile.read(path, as: .resultsFile) } catch {
                return .failure(.init(error.reasonText))
            }
            return layers(in: bytes)
        }
    }

    /// The final parameters of each layer, in order.
    static func layers(in bytes: [UInt8]) -> Result<[LayerParameters], Validator.ResultsReadProblem> {
        let document: JSONValue
        do { document = try JSONValue.parse(Data(bytes)) } catch {
            return .failure(.init("it is not JSON (\(error.description))"))
        }
        guard case .string(let format)? = document["format"], format.hasPrefix("nnrun.results/") else {
            return .failure(.init("it is not an nnrun results file (no 'format': \"\(ResultsFile.format)\")"))
        }
        return ResultsParameters.layers(in: document, .final).mapError { .init($0.message) }
    }
}
