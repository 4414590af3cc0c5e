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
    static func layers(in bytes: [UInt8]) -> Result<[StartingLayer], StartingLayer.ReadProblem> {
        let document: JSONValue
        do { document = try JSONValue.parse(Data(bytes)) } catch {
            return .failure(.init("it is not JSON (\(error.description))"))
        }
        guard case .string(let format)? = document["format"], format.hasPrefix("nnrun.results/") else {
            return .failure(.init("it is not an nnrun results file (no 'format': \"\(ResultsFile.format)\")"))
        }
        guard case .array(let layers)? = document["final"]?["layers"] else {
            return .failure(.init("it has no 'final.layers'"))
        }
        var starting: [StartingLayer] = []
        for (index, layer) in layers.enumerated() {
            guard case .string(let name)? = layer["name"], let weights = matrix(layer["weights"]),
                  case .bool(let shared)? = layer["bias_shared"]
            else { return .failure(.init("final.layers[\(index)] is not a layer's name, weights, bias and bias_shared")) }
            let bias: [Double]?
            switch layer["bias"] {
            case .null?: bias = nil
            case let value?:
                guard let values = numbers(value) else {
                    return .failure(.init("final.layers[\(index)].bias is not a list of finite numbers"))
                }
                bias = values
            case nil: return .failure(.init("final.layers[\(index)] has no 'bias'"))
            }
            starting.append(StartingLayer(name: name, weights: weights, bias: bias, biasShared: shared))
        }
        return .success(starting)
    }

    private static func matrix(_ value: JSONValue?) -> [[Double]]? {
        guard case .array(let rows)? = value else { return nil }
        let matrix = rows.compactMap(numbers)
        return matrix.count == rows.count ? matrix : nil
    }

    /// Finite numbers only: a diverged run writes null for NaN and infinity.
    private static func numbers(_ value: JSONValue) -> [Double]? {
        guard case .array(let items) = value else { return nil }
        let values = items.compactMap { item -> Double? in
            switch item {
            case .number(let number): return number.isFinite ? number : nil
            case .integer(let integer): return Double(integer)
            default: return nil
            }
        }
        return values.count == items.count ? values : nil
    }
}
