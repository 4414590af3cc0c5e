import Planning
import Results
import Running
import Spec
import Validation

/// `nnrun predict`: a model's outputs for new inputs, computed by the runner's own
/// evaluation (`Inference`), so the training inputs give exactly a run's `final.outputs`.
/// With a classification loss each row also gets its predicted class.
public struct Prediction {
    /// The output columns' names: the spec's CSV target columns or one-hot classes when it
    /// names them, else `output_0`, `output_1`, ...
    public let outputNames: [String]
    /// One row per input row.
    public let outputs: [[Double]]
    /// The class columns' names (`class`, or `class_<output>` per output of a
    /// binary_cross_entropy network with several outputs); empty for regression losses.
    public let classNames: [String]
    /// One row per input row, one value per class column: the class's name when the spec's
    /// data names its classes (CSV `one_hot`), else its index; 0 or 1 per binary output.
    public let classes: [[String]]

    /// The outputs of `model` for the inputs in the file at `inputsPath` (CSV, or `.npy` by
    /// extension), read by the column rules of the spec's training data (`InputRows`).
    public static func run(_ model: TrainedModel, inputsPath: String, kernels: KernelOptions = .automatic) throws(PipelineFailure) -> Prediction {
        let bytes: [UInt8]
        do { bytes = try InputFile.read(inputsPath, as: .inputsFile) } catch { throw .unreadable(error) }
        let columns = model.spec.map { InputRows.columns(of: $0, inputCount: model.plan.inputCount) }
            ?? .positional(count: model.plan.inputCount)
        let rows: [[Double]]
        switch InputRows.read(bytes, name: inputsPath, columns: columns) {
        case .success(let read): rows = read
        case .failure(let problem): throw .invalidInputs(problem.description)
        }
        // `data.scale`: new inputs are scaled with the constants fitted on the training samples.
        let scaled = model.validated.inputScaling.map { scaling in rows.map(scaling.apply) } ?? rows
        let inputs = SampleMatrix(rows: scaled.count, columns: model.plan.inputCount) { scaled[$0] }
        guard let outputs = Inference.outputs(model.plan, parameters: model.parameters, inputs: inputs, kernels: kernels) else {
            throw .unrecognized(path: inputsPath, problem: "the inputs do not fit the model (a bug in nnrun)")
        }
        return Prediction(model: model, outputs: outputs)
    }

    init(model: TrainedModel, outputs: [[Double]]) {
        let K = model.plan.outputCount
        var names = (0..<K).map { "output_\($0)" }
        var labels: [String]?
        if case .csv(let csv)? = model.spec?.data?.value {
            if let targets = csv.targets?.value, targets.count == K { names = targets.map(\.value) }
            if let classes = csv.oneHot?.classes?.value, classes.count == K {
                labels = classes.map(\.value)
                names = classes.map(\.value)
            }
        }
        outputNames = names
        self.outputs = outputs
        switch model.plan.training.loss {
        case .crossEntropy:
            classNames = ["class"]
            classes = outputs.map { row in
                let index = Prediction.firstMaximum(row)
                return [labels.map { $0[index] } ?? String(index)]
            }
        case .binaryCrossEntropy:
            classNames = K == 1 ? ["class"] : names.map { "class_" + $0 }
            classes = outputs.map { row in row.map { $0 > 0.5 ? "1" : "0" } }
        case .halfSquaredError, .mse:
            classNames = []
            classes = []
        }
    }

    /// The first index of the largest value: the rule accuracy uses (Workspace.evaluate).
    static func firstMaximum(_ row: [Double]) -> Int {
        var best = 0
        for index in row.indices where row[index] > row[best] { best = index }
        return best
    }

    /// A header line, then one line per row: the outputs in Swift's shortest round-trip
    /// form (they read back as the same Float64), then the class columns.
    public var csv: String {
        var lines = [(outputNames + classNames).map(Prediction.csvField).joined(separator: ",")]
        for (index, row) in outputs.enumerated() {
            let values = row.map { "\($0)" } + (classes.isEmpty ? [] : classes[index].map(Prediction.csvField))
            lines.append(values.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A field quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static let format = "nnrun.predictions/1"

    /// `{format, spec: {name, path, sha256}, parameters, output_names, outputs, class_names?, classes?}`.
    public func json(_ model: TrainedModel, inputsPath: String) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("format", .string(Prediction.format)),
            ("spec", .object([("name", .string(model.validated.name)), ("path", .string(model.path)),
                              ("sha256", .string(model.sha256))])),
            ("parameters", .string(model.parametersDescription)),
            ("inputs", .string(inputsPath)),
            ("output_names", .array(outputNames.map(JSONValue.string))),
            ("outputs", .matrix(outputs)),
        ]
        if !classNames.isEmpty {
            members.append(("class_names", .array(classNames.map(JSONValue.string))))
            members.append(("classes", .array(classes.map { .array($0.map(JSONValue.string)) })))
        }
        return .object(members)
    }
}
