import Planning
import Results
import Spec
import Validation

/// `nnrun compile --target pytorch`: a standalone Python script (torch and numpy only) that
/// trains a plan's network the way nnrun does, in float64, and writes a results file in
/// nnrun's format (Docs/pytorch.md).
///
/// The script is the spec's settings as Python constants (generated here), followed by
/// the same training code for every spec (`PyTorchScript.program`). The initial
/// parameters are the plan's, drawn ones included, so the script needs no weight
/// generator; it reimplements only the shuffle (Docs/random.md).
public struct PyTorchScript: Sendable {
    /// A file the script reads from its own folder.
    public struct SideFile: Sendable {
        public var name: String
        public var bytes: [UInt8]
    }

    /// What identifies the spec in the results file's `spec` member: nnrun's own
    /// `ResultsFile.Source`, written by the script as nnrun writes it.
    public typealias Source = ResultsFile.Source

    /// Where the script reads a data set.
    public enum DataSource: Sendable {
        /// Listed in the spec: the samples are written into the script.
        case listed
        /// A CSV file, named relative to the script's folder (or absolute), read with the
        /// spec's columns.
        case csv(path: String, inputs: [String], targets: [String], oneHot: (column: String, classes: [String])?)
        /// Two `.npy` files, named relative to the script's folder (or absolute).
        case npy(inputs: String, targets: String)
    }

    /// Parameters written into the script up to this count; more go to a `.npy` file
    /// beside it, which keeps the script readable and quick to load.
    public static let embeddedParameterLimit = 4096

    public var text: String
    public var sideFiles: [SideFile]

    /// The script for `plan`, to be written as `scriptName` (its side files are named after it).
    /// The plan's validation split and input scaling the script reproduces from the data
    /// files (`PyTorchScript+TrainingBreadth.swift`).
    public init(plan: Plan, source: Source, description: String?, data: DataSource, validation: DataSource?,
                scriptName: String) {
        var sideFiles: [SideFile] = []
        let parameters: String
        if plan.initialParameters.count <= Self.embeddedParameterLimit {
            parameters = "def initial_parameters():\n    \"\"\"nnrun's parameter buffer: per layer its weights (units, inputs) row by row, then its bias (0, 1 or units values).\"\"\"\n    return np.array([\n" + Self.parameterLines(plan) + "    ], dtype=np.float64)\n"
        } else {
            let stem = scriptName.hasSuffix(".py") ? String(scriptName.dropLast(3)) : scriptName
            let name = stem + ".initial.npy"
            sideFiles.append(SideFile(name: name, bytes: NpyEncoding.float64Vector(plan.initialParameters)))
            parameters = "def initial_parameters():\n    \"\"\"nnrun's parameter buffer (per layer its weights (units, inputs) row by row, then its bias), \(plan.initialParameters.count) values.\"\"\"\n    return np.load(resolve(\(PythonLiteral.string(name))), allow_pickle=False)\n"
        }
        let header = Self.header(plan: plan, source: source, description: description, data: data,
                                 validation: plan.validationSplit != nil && !data.isListed ? nil : validation)
            + "\n" + Self.trainingBreadth(plan, data: data)
        text = header + "\n\n" + parameters + "\n\n" + Self.program
        self.sideFiles = sideFiles
    }

    private static func header(plan: Plan, source: Source, description: String?, data: DataSource,
                               validation: DataSource?) -> String {
        var lines: [String] = [
            "#!/usr/bin/env python3",
            "\"\"\"Trains the network of an nnrun spec in PyTorch, as `nnrun SPEC` trains it.",
            "",
            "Compiled by `nnrun compile --target pytorch` (Docs/pytorch.md). Needs torch and numpy.",
            "",
            "    python3 SCRIPT -o out.json                    # then: nnrun diff --common-sections --rel 1e-9 out.json RESULTS",
            "    torchrun --standalone --nproc_per_node K SCRIPT -o out.json   # each batch split over K processes",
            "    python3 SCRIPT --device cuda --dtype float32  # faster, no longer nnrun's numbers",
            "\"\"\"",
            "import argparse",
            "import csv",
            "import json",
            "import math",
            "import os",
            "import sys",
            "",
            "import numpy as np",
            "import torch",
            "import torch.distributed as dist",
            "",
            "# --- The spec -------------------------------------------------------------------------",
            "",
            "SPEC = {\"name\": \(PythonLiteral.string(source.name)), \"path\": \(PythonLiteral.string(source.path)), \"sha256\": \(PythonLiteral.string(source.sha256))"
                + (source.extends.isEmpty ? "" : ", \"extends\": \(PythonLiteral.strings(source.extends))")
                + (source.overrides.isEmpty ? "" : ", \"overrides\": \(PythonLiteral.strings(source.overrides))") + "}",
        ]
        if let description { lines.append("DESCRIPTION = \(PythonLiteral.string(description))") }
        lines.append("INPUTS = \(plan.inputCount)")
        lines.append("# Input side first; bias: \"none\", \"shared\" (one parameter for every unit) or \"per_unit\".")
        lines.append("LAYERS = [")
        for layer in plan.layers {
            let bias = layer.biasCount == 0 ? "none" : layer.biasShared ? "shared" : "per_unit"
            lines.append("    {\"name\": \(PythonLiteral.string(layer.name)), \"units\": \(layer.units), \"activation\": \"\(layer.activation.rawValue)\", \"alpha\": \(PythonLiteral.number(layer.alpha)), \"bias\": \"\(bias)\"},")
        }
        lines.append("]")
        let training = plan.training
        lines.append("TRAIN_BIASES = \(training.trainBiases ? "True" : "False")")
        lines.append("LOSS = \"\(training.loss.rawValue)\"")
        switch training.optimizer {
        case .sgd(let momentum, let nesterov, let weightDecay):
            lines.append("OPTIMIZER = {\"name\": \"sgd\", \"momentum\": \(PythonLiteral.number(momentum)), \"nesterov\": \(nesterov ? "True" : "False"), \"weight_decay\": \(PythonLiteral.number(weightDecay))}")
        case .adam(let beta1, let beta2, let epsilon, let weightDecay), .adamw(let beta1, let beta2, let epsilon, let weightDecay):
            lines.append("OPTIMIZER = {\"name\": \"\(training.optimizer.name)\", \"beta1\": \(PythonLiteral.number(beta1)), \"beta2\": \(PythonLiteral.number(beta2)), \"epsilon\": \(PythonLiteral.number(epsilon)), \"weight_decay\": \(PythonLiteral.number(weightDecay))}")
        case .rmsprop(let alpha, let epsilon, let momentum, let centered, let weightDecay):
            lines.append("OPTIMIZER = {\"name\": \"rmsprop\", \"alpha\": \(PythonLiteral.number(alpha)), \"epsilon\": \(PythonLiteral.number(epsilon)), \"momentum\": \(PythonLiteral.number(momentum)), \"centered\": \(centered ? "True" : "False"), \"weight_decay\": \(PythonLiteral.number(weightDecay))}")
        }
        lines.append("LEARNING_RATE = \(PythonLiteral.number(training.learningRate))")
        lines.append("SCHEDULE = " + scheduleText(training.schedule))
        lines.append("STEPS = \(training.steps)" + (training.epochs.map { "  # \($0) epochs" } ?? ""))
        lines.append("BATCH_SIZE = \(plan.batchSize)  # \(training.batch.description)")
        lines.append("SHUFFLE_SEED = \(plan.shuffleSeed.map { "\($0)" } ?? "None")  # None: every epoch in data order")
        lines.append("UPDATE = \"\(training.update.rawValue)\"")
        let every = plan.record.every
        let regular = Set(stride(from: 0, through: training.steps, by: every)).union([training.steps])
        lines.append("RECORD_EVERY = \(every)")
        lines.append("RECORD_EXTRA_STEPS = \(plan.historySteps.filter { !regular.contains($0) })  # steps the spec's checks look at")
        lines.append("SAMPLES = \(plan.sampleCount)")
        lines.append("STEPS_PER_EPOCH = \(plan.stepsPerEpoch)  # batches of BATCH_SIZE in SAMPLES, the last one possibly short")
        lines.append("VALIDATION_SAMPLES = \(plan.validationCount)")
        lines.append("DATA = " + dataText(data, inputs: plan.inputs, targets: plan.targets))
        lines.append("VALIDATION = " + (validation.map { dataText($0, inputs: plan.validationInputs, targets: plan.validationTargets) } ?? "None"))
        return lines.joined(separator: "\n")
    }

    /// The schedule's settings, or None; `learning_rate(step)` in the program computes the rate.
    private static func scheduleText(_ schedule: ValidatedSpec.Schedule?) -> String {
        guard let schedule else { return "None  # the learning rate is LEARNING_RATE at every step" }
        let members = schedule.settings.map { key, value in
            let literal = switch value {
            case .integer(let integer): "\(integer)"
            case .number(let number): PythonLiteral.number(number)
            case .word(let word): PythonLiteral.string(word)
            }
            return PythonLiteral.string(key) + ": " + literal
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    private static func dataText(_ source: DataSource, inputs: SampleMatrix, targets: SampleMatrix) -> String {
        switch source {
        case .listed:
            return "{\n    \"inputs\": \(PythonLiteral.rows(rows(inputs), indent: "    ")),\n    \"targets\": \(PythonLiteral.rows(rows(targets), indent: "    ")),\n}"
        case .csv(let path, let inputColumns, let targetColumns, let oneHot):
            let oneHotText = oneHot.map { "{\"column\": \(PythonLiteral.string($0.column)), \"classes\": \(PythonLiteral.strings($0.classes))}" } ?? "None"
            return "{\"csv\": \(PythonLiteral.string(path)), \"inputs\": \(PythonLiteral.strings(inputColumns)), \"targets\": \(PythonLiteral.strings(targetColumns)), \"one_hot\": \(oneHotText)}"
        case .npy(let inputPath, let targetPath):
            return "{\"npy_inputs\": \(PythonLiteral.string(inputPath)), \"npy_targets\": \(PythonLiteral.string(targetPath))}"
        }
    }

    /// The parameter buffer, a line per weight row and one for the bias, under a comment per layer.
    private static func parameterLines(_ plan: Plan) -> String {
        let p = plan.initialParameters
        var lines: [String] = []
        for layer in plan.layers {
            lines.append("        # \(layer.name): weights (\(layer.units), \(layer.inputCount))" + (layer.biasCount > 0 ? ", bias (\(layer.biasCount))" : ""))
            for unit in 0..<layer.units {
                let start = layer.weightOffset + unit * layer.inputCount
                lines.append("        " + p[start..<(start + layer.inputCount)].map(PythonLiteral.number).joined(separator: ", ") + ",")
            }
            if layer.biasCount > 0 {
                lines.append("        " + p[layer.biasOffset..<(layer.biasOffset + layer.biasCount)].map(PythonLiteral.number).joined(separator: ", ") + ",")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func rows(_ matrix: SampleMatrix) -> [[Double]] {
        (0..<matrix.rows).map { row in (0..<matrix.columns).map { matrix[row * matrix.columns + $0] } }
    }
}
