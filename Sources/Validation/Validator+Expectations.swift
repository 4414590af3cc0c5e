import Diagnostics
import Spec

/// The `expect:` section: each check's quantity is resolved against the network,
/// its step against the training, and its value against the quantity's shape.
extension Validator {
    /// Quantities a check may name, for messages and suggestions.
    static let quantityRoots = ["loss", "accuracy", "validation_loss", "validation_accuracy", "outputs", "layers", "trace"]

    mutating func expectations(_ spec: Spec, layers: [ValidatedSpec.Layer]?, sampleCount: Int?,
                               training: ValidatedSpec.Training?, hasValidation: Bool) -> [ValidatedSpec.Expectation]? {
        guard let section = spec.expect else { return [] }
        let path = KeyPath.root / "expect"
        let sectionTolerance = section.tolerance.flatMap { tolerance($0, at: path / "tolerance") }
        guard let layers, let sampleCount, let training else {
            // The network, the data or the training has errors: the checks are still read as
            // far as they can be without them, so that every problem is reported in one pass.
            checkWithoutNetwork(section, at: path, layerNames: spec.model?.layers?.value.compactMap { $0.name?.value } ?? [])
            return nil
        }
        var expectations: [ValidatedSpec.Expectation] = []
        var valid = true
        for (index, check) in section.checks.enumerated() {
            let checkPath = (section.isMapping ? path / "checks" : path) / index
            guard check.isMapping else { valid = false; continue }   // reported by the decoder
            guard let quantityText = require(check.quantity, "quantity", in: checkPath, at: check.location,
                                             example: "quantity: loss"),
                  let at = require(check.at, "at", in: checkPath, at: check.location, example: "at: final"),
                  let value = require(check.value, "value", in: checkPath, at: check.location, example: "value: 0.25")
            else { valid = false; continue }
            let step: Int
            switch at.value {
            case .final: step = training.steps
            case .step(let k):
                guard k >= 0 && k <= training.steps else {
                    error(at: at.location, checkPath / "at", .checkStepNeverReached(k, steps: training.steps))
                    valid = false
                    continue
                }
                step = k
            }
            guard let (quantity, shape) = resolve(quantityText, at: checkPath / "quantity", layers: layers,
                                                  sampleCount: sampleCount, training: training, step: step,
                                                  hasValidation: hasValidation) else { valid = false; continue }
            if !availableAt(quantity, step: step, finalStep: training.steps, at: at, path: checkPath / "at") {
                valid = false
                continue
            }
            guard matches(value.value, shape: shape, at: value.location, path: checkPath / "value", quantity: quantityText.value)
            else { valid = false; continue }
            let own = check.tolerance.flatMap { tolerance($0, at: checkPath / "tolerance") }
            if check.tolerance != nil && own == nil { valid = false; continue }
            expectations.append(.init(text: quantityText.value, quantity: quantity, step: step, atFinal: at.value == .final,
                                      expected: value.value, tolerance: own ?? sectionTolerance ?? .absolute(0),
                                      location: check.location))
        }
        return valid ? expectations : nil
    }

    /// The rules of a check that need neither the validated network nor the data: its
    /// required keys, its tolerance, and its quantity's names (a layer by its written name).
    private mutating func checkWithoutNetwork(_ section: ExpectSection, at path: KeyPath, layerNames: [String]) {
        for (index, check) in section.checks.enumerated() where check.isMapping {
            let checkPath = (section.isMapping ? path / "checks" : path) / index
            let quantity = require(check.quantity, "quantity", in: checkPath, at: check.location, example: "quantity: loss")
            _ = require(check.at, "at", in: checkPath, at: check.location, example: "at: final")
            _ = require(check.value, "value", in: checkPath, at: check.location, example: "value: 0.25")
            _ = check.tolerance.flatMap { tolerance($0, at: checkPath / "tolerance") }
            guard let quantity else { continue }
            let quantityPath = checkPath / "quantity"
            guard let parsed = QuantityPath(quantity.value) else {
                error(at: quantity.location, quantityPath, .unreadableQuantity(quantity.value))
                continue
            }
            let names = parsed.names
            guard let root = names.first, Validator.quantityRoots.contains(root) else {
                error(at: quantity.location, quantityPath,
                      .unknownQuantity(quantity.value, root: names.first ?? "", roots: Validator.quantityRoots))
                continue
            }
            guard names.count == 3, root == "layers" || root == "trace" else { continue }
            if !layerNames.isEmpty, !layerNames.contains(names[1]) {
                error(at: quantity.location, quantityPath, .noLayerNamed(names[1], in: quantity.value, layers: layerNames))
            } else if root == "layers", !["weights", "bias"].contains(names[2]) {
                error(at: quantity.location, quantityPath, .unknownLayerQuantity(names[2], in: quantity.value))
            } else if root == "trace", ValidatedSpec.TraceField(rawValue: names[2]) == nil {
                error(at: quantity.location, quantityPath, .unknownTraceQuantity(names[2], fields: ValidatedSpec.TraceField.names))
            }
        }
    }

    private mutating func tolerance(_ entry: Located<ToleranceEntry>, at path: KeyPath) -> ValidatedSpec.Tolerance? {
        switch entry.value {
        case .absolute(let bound) where bound >= 0: return .absolute(bound)
        case .relative(let bound) where bound >= 0: return .relative(bound)
        case .absolute(let bound), .relative(let bound):
            error(at: entry.location, path, .negativeTolerance(bound))
            return nil
        }
    }

    /// `loss`, `outputs[0][1]`, `layers.NAME.weights[1]`, `trace.NAME.delta[0][1]`, ...:
    /// the quantity and the shape left after its indices.
    private mutating func resolve(_ text: Located<String>, at path: KeyPath, layers: [ValidatedSpec.Layer], sampleCount: Int,
                                  training: ValidatedSpec.Training, step: Int,
                                  hasValidation: Bool) -> (ValidatedSpec.Quantity, [Int])? {
        guard let parsed = QuantityPath(text.value) else {
            error(at: text.location, path, .unreadableQuantity(text.value))
            return nil
        }
        let resolved: Result<(ValidatedSpec.Quantity, [Int]), QuantityProblem>
        let names = parsed.names
        switch names.first {
        case "loss" where names.count == 1: resolved = .success((.loss, []))
        case "accuracy" where names.count == 1, "validation_accuracy" where names.count == 1:
            if !training.loss.isClassification {
                resolved = .failure(QuantityProblem(message: .accuracyNeedsClassification))
            } else if names[0] == "validation_accuracy" && !hasValidation {
                resolved = .failure(QuantityProblem(message: .noValidationSet))
            } else {
                resolved = .success((names[0] == "accuracy" ? .accuracy : .validationAccuracy, []))
            }
        case "validation_loss" where names.count == 1:
            resolved = hasValidation ? .success((.validationLoss, [])) : .failure(QuantityProblem(message: .noValidationSet))
        case "outputs" where names.count == 1:
            resolved = .success((.outputs(parsed.indices), [sampleCount, layers[layers.count - 1].units]))
        case "layers" where names.count == 3:
            resolved = layerQuantity(parsed, text: text.value, layers: layers)
        case "trace" where names.count == 2 && (names[1] == "sample_losses" || names[1] == "output_losses"):
            let rows = Validator.batchRows(step: max(step, 1), training: training, sampleCount: sampleCount)
            resolved = names[1] == "sample_losses"
                ? .success((.sampleLosses(parsed.indices), [rows]))
                : .success((.outputLosses(parsed.indices), [rows, layers[layers.count - 1].units]))
        case "trace" where names.count == 3:
            let rows = Validator.batchRows(step: max(step, 1), training: training, sampleCount: sampleCount)
            resolved = traceQuantity(parsed, text: text.value, layers: layers, rows: rows)
        default:
            resolved = .failure(QuantityProblem(message: .unknownQuantity(text.value, root: names.first ?? "",
                                                                          roots: Validator.quantityRoots)))
        }
        let quantity: ValidatedSpec.Quantity, shape: [Int]
        switch resolved {
        case .success(let found): (quantity, shape) = found
        case .failure(let problem):
            error(at: text.location, path, problem.message)
            return nil
        }
        guard parsed.indices.count <= shape.count else {
            error(at: text.location, path, .tooManyIndices(text.value, indices: parsed.indices.count, dimensions: shape.count))
            return nil
        }
        for (dimension, index) in parsed.indices.enumerated() where index >= shape[dimension] {
            error(at: text.location, path, .indexOutOfRange(index, in: text.value, size: shape[dimension]))
            return nil
        }
        return (quantity, Array(shape.dropFirst(parsed.indices.count)))
    }

    /// Why a quantity path names nothing.
    private struct QuantityProblem: Error {
        var message: DiagnosticMessage
    }

    /// `layers.NAME.weights` or `layers.NAME.bias`, and its shape.
    private func layerQuantity(_ parsed: QuantityPath, text: String,
                               layers: [ValidatedSpec.Layer]) -> Result<(ValidatedSpec.Quantity, [Int]), QuantityProblem> {
        let names = parsed.names
        guard let l = layers.firstIndex(where: { $0.name == names[1] }) else {
            return .failure(QuantityProblem(message: .noLayerNamed(names[1], in: text, layers: layers.map(\.name))))
        }
        switch names[2] {
        case "weights": return .success((.weights(layer: l, parsed.indices), [layers[l].units, layers[l].inputCount]))
        case "bias":
            guard layers[l].bias != .none else { return .failure(QuantityProblem(message: .layerHasNoBias(names[1]))) }
            return .success((.bias(layer: l, parsed.indices), [layers[l].units]))
        default:
            return .failure(QuantityProblem(message: .unknownLayerQuantity(names[2], in: text)))
        }
    }

    /// `trace.NAME.FIELD` and its shape: a gradient has its parameters' shape, the rest one
    /// row per sample of the step's batch (`rows`).
    private func traceQuantity(_ parsed: QuantityPath, text: String, layers: [ValidatedSpec.Layer],
                               rows: Int) -> Result<(ValidatedSpec.Quantity, [Int]), QuantityProblem> {
        let names = parsed.names
        guard let l = layers.firstIndex(where: { $0.name == names[1] }) else {
            return .failure(QuantityProblem(message: .noLayerNamed(names[1], in: text, layers: layers.map(\.name))))
        }
        guard let field = ValidatedSpec.TraceField(rawValue: names[2]) else {
            return .failure(QuantityProblem(message: .unknownTraceQuantity(names[2], fields: ValidatedSpec.TraceField.names)))
        }
        let shape: [Int]
        switch field {
        case .weightGradient: shape = [layers[l].units, layers[l].inputCount]
        case .biasGradient:
            switch layers[l].bias {
            case .none: return .failure(QuantityProblem(message: .layerHasNoBias(names[1])))
            case .shared: shape = [1]
            case .perUnit, .drawn: shape = [layers[l].units]
            }
        default: shape = [rows, layers[l].units]
        }
        return .success((.trace(layer: l, field, parsed.indices), shape))
    }

    /// Values exist at step 0, at the final step, in the history (loss and metrics), and
    /// in the trace (which the planner extends to the checked steps) for steps >= 1.
    private mutating func availableAt(_ quantity: ValidatedSpec.Quantity, step: Int, finalStep: Int,
                                      at: Located<StepEntry>, path: KeyPath) -> Bool {
        switch quantity {
        case .outputs where step != 0 && step != finalStep:
            error(at: at.location, path, .outputsNotRecorded(at: step))
            return false
        case .trace where step == 0, .sampleLosses where step == 0, .outputLosses where step == 0:
            error(at: at.location, path, .traceStartsAtStepOne)
            return false
        default:
            return true
        }
    }

    /// Whether `value` has `shape`: a number for [], a list of shape[0] values for the rest.
    private mutating func matches(_ value: ExpectedValue, shape: [Int], at location: SourceLocation, path: KeyPath,
                                  quantity: String) -> Bool {
        func describe(_ shape: [Int]) -> String {
            shape.isEmpty ? "a number" : "a list of shape (\(shape.map(String.init).joined(separator: ", ")))"
        }
        func check(_ value: ExpectedValue, _ shape: [Int]) -> Bool {
            switch (value, shape.first) {
            case (.number, nil): return true
            case (.list(let items), let count?):
                return items.count == count && items.allSatisfy { check($0, Array(shape.dropFirst())) }
            default: return false
            }
        }
        guard check(value, shape) else {
            error(at: location, path, .expectedValueShape(describe(shape), for: quantity, found: ExpectedValue.describe(value)))
            return false
        }
        return true
    }

    /// Rows of the batch at `step` (1-based): batches are consecutive runs of the epoch's order.
    static func batchRows(step: Int, training: ValidatedSpec.Training, sampleCount: Int) -> Int {
        let size = training.batch.size(of: sampleCount)
        let perEpoch = (sampleCount + size - 1) / size
        let start = ((step - 1) % perEpoch) * size
        return min(size, sampleCount - start)
    }
}

extension ExpectedValue {
    static func describe(_ value: ExpectedValue) -> String {
        switch value {
        case .number(let number): return "the number \(number)"
        case .list(let items):
            var shape = [items.count]
            var first = items.first
            while case .list(let inner)? = first { shape.append(inner.count); first = inner.first }
            return "a list of shape (\(shape.map(String.init).joined(separator: ", ")))"
        }
    }
}

/// A quantity path: dot-separated names, then `[n]` indices: `layers.output.weights[0][1]`.
struct QuantityPath {
    var names: [String]
    var indices: [Int]

    init?(_ text: String) {
        var rest = Substring(text)
        var indices: [Int] = []
        while rest.hasSuffix("]") {
            guard let open = rest.lastIndex(of: "["), let index = Int(rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]),
                  index >= 0 else { return nil }
            indices.insert(index, at: 0)
            rest = rest[..<open]
        }
        let names = rest.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !names.isEmpty, !names.contains(where: { $0.isEmpty || $0.contains("[") || $0.contains("]") }) else { return nil }
        self.names = names
        self.indices = indices
    }
}
