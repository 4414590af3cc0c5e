import ArgumentParser
import Pipeline

/// `nnrun predict SPEC --inputs FILE`: the network's outputs for new inputs (Docs/cli.md).
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Compute the trained network's outputs (and classes) for new inputs.",
        discussion: """
            The inputs are a CSV file or a .npy file, read by the column rules of the spec's training data. \
            The outputs are written as CSV, or as JSON when -o names a .json file; without -o, as CSV on standard output. \
            With a classification loss each row also gets its predicted class. See Docs/cli.md.
            """)

    @Argument(help: "The spec file.", completion: .specFile)
    var spec: String

    @Option(help: ArgumentHelp("The new samples' inputs: CSV, or .npy.", valueName: "file"),
            completion: .file(extensions: ["csv", "npy"]))
    var inputs: String

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Where to write the outputs: a .json file gets JSON, any other name CSV.",
        discussion: "Default: CSV on standard output.", valueName: "path"), completion: .outputFile)
    var output: String?

    @OptionGroup var source: ModelSource

    @OptionGroup var quiet: Quiet

    @OptionGroup var memory: MemoryLimit

    @OptionGroup var kernels: KernelChoice

    func run() throws {
        // Training's progress line goes to standard error, and the CSV to standard output.
        let model = try source.model(spec, memory: memory, kernels: kernels.options, quiet: quiet.isOn)
        let prediction = try Prediction.run(model, inputsPath: inputs, kernels: kernels.options)
        guard let output else {
            Terminal.out(String(prediction.csv.dropLast()))
            return
        }
        if output.lowercased().hasSuffix(".json") {
            try AtomicFile.write(prediction.json(model, inputsPath: inputs).serializedBytes(), to: output)
        } else {
            try AtomicFile.write(prediction.csv, to: output)
        }
        if !quiet.isOn {
            Terminal.error("wrote \(output): \(prediction.outputs.count) rows, \(model.parametersDescription)")
        }
    }
}
