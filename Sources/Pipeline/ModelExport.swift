import ONNX

/// `nnrun export`: a trained model as an ONNX file (`ONNXModel`, Docs/interop.md).
public enum ModelExport {
    /// The model of `model`'s network and parameters, its tensors in `precision`; the spec's
    /// name and description, its SHA-256, the layers' names and where the parameters come
    /// from go into the model's metadata.
    public static func onnx(_ model: TrainedModel, precision: ONNXModel.Precision, producerVersion: String) -> ONNXModel {
        let layers = zip(model.plan.layers, model.layers).map { ONNXModel.Layer(plan: $0, parameters: $1) }
        var metadata: [(String, String)] = [("nnrun.spec.name", model.validated.name)]
        if let description = model.validated.description { metadata.append(("nnrun.spec.description", description)) }
        metadata += [
            ("nnrun.spec.path", model.path),
            ("nnrun.spec.sha256", model.sha256),
            ("nnrun.layers", model.plan.layers.map(\.name).joined(separator: ",")),
            ("nnrun.parameters", model.parametersDescription),
            ("nnrun.precision", precision.rawValue),
        ]
        return ONNXModel(name: model.validated.name, description: model.validated.description, inputCount: model.plan.inputCount,
                         layers: layers, precision: precision, metadata: metadata, producerVersion: producerVersion,
                         inputScaling: model.validated.inputScaling.map { ($0.offset, $0.scale) })
    }

    /// Writes the model to `destination` atomically.
    public static func write(_ model: ONNXModel, to destination: String) throws(PipelineFailure) {
        let bytes: [UInt8]
        do {
            bytes = try model.serializedBytes()
        } catch {
            throw .unwritable(AtomicFile.WriteError(path: destination, reason: "the model could not be encoded: \(error)"))
        }
        do { try AtomicFile.write(bytes, to: destination) } catch { throw .unwritable(error) }
    }
}
