import Foundation
import Planning
import Running
import Spec
import SwiftProtobuf
import Validation

/// A network as an ONNX model (`nnrun export`, Docs/interop.md): one input `input` of shape
/// [N, inputs], one output `output` of shape [N, outputs] = the output layer's activations,
/// what a results file's `outputs` hold.
///
/// Per layer `L`, in the spec's order:
///
///     L.weight (units, inputs), L.bias (units)      initializers; a shared bias repeated per unit,
///                                                   no L.bias for a layer without bias
///     L.net = Gemm(x, L.weight, L.bias, transB=1)   net[s][u] = sum_i x[s][i] W[u][i] + b[u]
///     L.out = f(L.net)                              Sigmoid, Tanh, Relu, LeakyRelu(alpha),
///                                                   Softmax(axis=-1), Identity for linear
///
/// With input scaling (`data.scale`), two nodes come first, nnrun's (x - offset) / scale:
///
///     input.offset, input.scale (inputs)            initializers: the fitted constants
///     input.centered = Sub(input, input.offset)
///     input.scaled = Div(input.centered, input.scale)
///
/// x is `input` (or `input.scaled`) for the first layer and the layer below's `L.out` after; the last layer's
/// out is named `output`. With Float64 values a leaky_relu is written as
/// Where(Greater(net, 0), net, Mul(net, alpha)), nnrun's own formula: LeakyRelu's `alpha`
/// attribute is a Float32 (0.01, the default, would change by 2e-8 of itself), and
/// onnxruntime has no Float64 LeakyRelu kernel.
public struct ONNXModel {
    /// The element type of the model's tensors.
    public enum Precision: String, Sendable, CaseIterable {
        case float64, float32
    }

    /// One layer: its plan (shapes, activation) and its parameter values.
    public struct Layer {
        public var plan: LayerPlan
        public var parameters: LayerParameters

        public init(plan: LayerPlan, parameters: LayerParameters) {
            self.plan = plan
            self.parameters = parameters
        }
    }

    /// ONNX IR version 7 with operator set 13 (ONNX 1.8, 2020): every operator used here
    /// takes Float64 in it, and every ONNX runtime since reads it.
    public static let irVersion: Int64 = 7
    public static let opsetVersion: Int64 = 13

    public let proto: Onnx_ModelProto

    /// `metadata` becomes the model's metadata_props in the order given (the spec's name and
    /// description, where the parameters come from); `description` its doc_string.
    /// `inputScaling`: `data.scale`'s fitted constants, applied before the first layer.
    public init(name: String, description: String?, inputCount: Int, layers: [Layer], precision: Precision,
                metadata: [(String, String)], producerVersion: String,
                inputScaling: (offset: [Double], scale: [Double])? = nil) {
        var graph = Onnx_GraphProto()
        graph.name = name
        graph.input = [ONNXModel.valueInfo("input", columns: inputCount, precision)]
        var x = "input"
        if let inputScaling {
            graph.initializer.append(ONNXModel.tensor("input.offset", dims: [inputCount], values: inputScaling.offset, precision))
            graph.initializer.append(ONNXModel.tensor("input.scale", dims: [inputCount], values: inputScaling.scale, precision))
            let origin = "data.scale: (x - offset) / scale, fitted on the training samples"
            graph.node.append(ONNXModel.node("Sub", name: "input.center", inputs: ["input", "input.offset"],
                                             outputs: ["input.centered"], doc: origin))
            graph.node.append(ONNXModel.node("Div", name: "input.divide", inputs: ["input.centered", "input.scale"],
                                             outputs: ["input.scaled"], doc: origin))
            x = "input.scaled"
        }
        for (index, layer) in layers.enumerated() {
            let out = index == layers.count - 1 ? "output" : layer.plan.name + ".out"
            ONNXModel.append(layer, input: x, output: out, precision, to: &graph)
            x = out
        }
        graph.output = [ONNXModel.valueInfo("output", columns: layers.last?.plan.units ?? inputCount, precision)]

        var model = Onnx_ModelProto()
        model.irVersion = ONNXModel.irVersion
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = ONNXModel.opsetVersion
        model.opsetImport = [opset]
        model.producerName = "nnrun"
        model.producerVersion = producerVersion
        model.modelVersion = 1
        if let description { model.docString = description }
        model.graph = graph
        model.metadataProps = metadata.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
        proto = model
    }

    /// The model file's bytes (protobuf's binary encoding).
    public func serializedBytes() throws -> [UInt8] {
        try proto.serializedBytes()
    }

    /// The layer's initializers and nodes: Gemm, then its activation.
    private static func append(_ layer: Layer, input x: String, output: String, _ precision: Precision,
                               to graph: inout Onnx_GraphProto) {
        let name = layer.plan.name
        let plan = layer.plan
        graph.initializer.append(tensor(name + ".weight", dims: [plan.units, plan.inputCount],
                                        values: layer.parameters.weights.flatMap { $0 }, precision))
        var gemmInputs = [x, name + ".weight"]
        if let bias = layer.parameters.bias {
            graph.initializer.append(tensor(name + ".bias", dims: [plan.units], values: bias, precision))
            gemmInputs.append(name + ".bias")
        }
        let net = name + ".net"
        let origin = "layer '\(name)' (line \(plan.location.line) of the spec)"
        graph.node.append(node("Gemm", name: name + ".gemm", inputs: gemmInputs, outputs: [net],
                               attributes: [integer("transB", 1)], doc: origin))
        switch plan.activation {
        case .sigmoid:
            graph.node.append(node("Sigmoid", name: name + ".sigmoid", inputs: [net], outputs: [output], doc: origin))
        case .tanh:
            graph.node.append(node("Tanh", name: name + ".tanh", inputs: [net], outputs: [output], doc: origin))
        case .relu:
            graph.node.append(node("Relu", name: name + ".relu", inputs: [net], outputs: [output], doc: origin))
        case .softmax:
            graph.node.append(node("Softmax", name: name + ".softmax", inputs: [net], outputs: [output],
                                   attributes: [integer("axis", -1)], doc: origin))
        case .linear:
            graph.node.append(node("Identity", name: name + ".identity", inputs: [net], outputs: [output], doc: origin))
        case .leakyRelu:
            let alpha = plan.alpha
            if precision == .float32 {
                graph.node.append(node("LeakyRelu", name: name + ".leaky_relu", inputs: [net], outputs: [output],
                                       attributes: [float("alpha", Float(alpha))], doc: origin))
            } else {
                // out = net > 0 ? net : alpha net, with alpha as a Float64 (see the type's comment).
                graph.initializer.append(tensor(name + ".alpha", dims: [], values: [alpha], precision))
                graph.initializer.append(tensor(name + ".zero", dims: [], values: [0], precision))
                graph.node.append(node("Greater", name: name + ".positive", inputs: [net, name + ".zero"],
                                       outputs: [name + ".positive"], doc: origin))
                graph.node.append(node("Mul", name: name + ".scaled", inputs: [net, name + ".alpha"],
                                       outputs: [name + ".scaled"], doc: origin))
                graph.node.append(node("Where", name: name + ".leaky_relu", inputs: [name + ".positive", net, name + ".scaled"],
                                       outputs: [output], doc: origin))
            }
        }
    }

    private static func tensor(_ name: String, dims: [Int], values: [Double], _ precision: Precision) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims.map(Int64.init)
        switch precision {
        case .float64:
            tensor.dataType = Int32(Onnx_TensorProto.DataType.double.rawValue)
            tensor.doubleData = values
        case .float32:
            tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            tensor.floatData = values.map(Float.init)
        }
        return tensor
    }

    /// A tensor of shape [N, columns], N left symbolic: any number of rows.
    private static func valueInfo(_ name: String, columns: Int, _ precision: Precision) -> Onnx_ValueInfoProto {
        var rows = Onnx_TensorShapeProto.Dimension()
        rows.dimParam = "N"
        var width = Onnx_TensorShapeProto.Dimension()
        width.dimValue = Int64(columns)
        var shape = Onnx_TensorShapeProto()
        shape.dim = [rows, width]
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32((precision == .float64 ? Onnx_TensorProto.DataType.double : .float).rawValue)
        tensorType.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensorType
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }

    private static func node(_ operator: String, name: String, inputs: [String], outputs: [String],
                             attributes: [Onnx_AttributeProto] = [], doc: String) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = `operator`
        node.name = name
        node.input = inputs
        node.output = outputs
        node.attribute = attributes
        node.docString = doc
        return node
    }

    private static func integer(_ name: String, _ value: Int64) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .int
        attribute.i = value
        return attribute
    }

    private static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .float
        attribute.f = value
        return attribute
    }
}
