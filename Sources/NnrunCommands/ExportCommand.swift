import ArgumentParser
import ONNX
import Pipeline

/// `nnrun export SPEC -o MODEL.onnx`: the trained network as an ONNX model (Docs/interop.md).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the trained network as an ONNX model.",
        discussion: """
            The model has one input 'input' [N, inputs] and one output 'output' [N, outputs], the output \
            layer's activations (what final.outputs holds): a Gemm and an activation per layer, ONNX IR \
            version \(ONNXModel.irVersion), operator set \(ONNXModel.opsetVersion). See Docs/interop.md.
            """)

    @Argument(help: "The spec file.", completion: .specFile)
    var spec: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the model.", valueName: "model.onnx"), completion: .outputFile)
    var output: String

    @Option(help: ArgumentHelp("The tensors' element type: float64 (nnrun's own numbers) or float32.", valueName: "type"))
    var dtype: ONNXModel.Precision = .float64

    @OptionGroup var source: ModelSource

    @OptionGroup var quiet: Quiet

    @OptionGroup var memory: MemoryLimit

    @OptionGroup var kernels: KernelChoice

    func run() throws {
        let model = try source.model(spec, memory: memory, kernels: kernels.options, quiet: quiet.isOn)
        try ModelExport.write(ModelExport.onnx(model, precision: dtype, producerVersion: Nnrun.configuration.version),
                              to: output)
        if !quiet.isOn {
            Terminal.out("wrote \(output): \(model.validated.name), \(model.parametersDescription), \(dtype.rawValue)")
        }
    }
}

extension ONNXModel.Precision: ExpressibleByArgument {}
