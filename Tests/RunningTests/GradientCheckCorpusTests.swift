import Checks
import Foundation
import TestSupport
import Validation
import XCTest

/// `nnrun gradcheck`'s criterion, |analytic - numeric| <= atol + rtol |numeric| with
/// atol = K eps S / h (Sources/Checks/GradientCheck.swift, Docs/robustness.md), both ways:
/// no false alarm on a corpus of correct gradients, and planted errors caught.
///
/// The corpus: specs drawn from a fixed seed, varying depth, widths, activations, losses,
/// biases, optimizers, batch sizes, weight decay, the scale of weights, inputs and
/// targets, and the step checked. The runner's gradients are correct on all of them (they
/// agree with the hand derivations, the finite differences at larger h and PyTorch
/// elsewhere in the tests); any failure here is the criterion's false alarm.
final class GradientCheckCorpusTests: XCTestCase {
    static let h = 1e-6
    static let rtol = 1e-6
    static let corpusSize = 150

    /// A random spec: the Lcg drives every choice.
    static func spec(_ seed: UInt64) -> String {
        var random = Lcg(seed: seed)
        /// A whole number in 0..<n.
        func pick(_ n: Int) -> Int { min(n - 1, Int((random.next() + 4) / 8 * Double(n))) }
        func choose<T>(_ items: [T]) -> T { items[pick(items.count)] }
        func numbers(_ count: Int, scale: Double) -> String {
            "[" + (0..<count).map { _ in "\(random.next() / 4 * scale)" }.joined(separator: ", ") + "]"
        }
        let inputs = 1 + pick(4)
        let weightScale = choose([0.05, 0.5, 1.5, 3.0])
        let inputScale = choose([0.01, 0.3, 1.0, 8.0])
        let loss = choose(["half_squared_error", "mse", "binary_cross_entropy", "cross_entropy"])
        var layers: [String] = []
        var width = inputs
        func layer(_ name: String, units: Int, activation: String) -> String {
            let rows = (0..<units).map { _ in numbers(width, scale: weightScale) }.joined(separator: ", ")
            var text = "    - {name: \(name), units: \(units), activation: \(activation), weights: [\(rows)]"
            if activation == "leaky_relu" { text += ", alpha: \(choose([0.01, 0.2]))" }
            switch pick(3) {
            case 0: break
            case 1: text += ", bias: \(random.next() / 4 * weightScale)"
            default: text += ", bias: \(numbers(units, scale: weightScale))"
            }
            width = units
            return text + "}"
        }
        for index in 0..<pick(3) {
            layers.append(layer("hidden\(index)", units: 1 + pick(4), activation: choose(["sigmoid", "tanh", "relu", "leaky_relu", "linear"])))
        }
        let outputs: Int, activation: String
        switch loss {
        case "cross_entropy": outputs = 2 + pick(3); activation = "softmax"
        case "binary_cross_entropy": outputs = 1 + pick(3); activation = "sigmoid"
        default: outputs = 1 + pick(3); activation = choose(["linear", "sigmoid", "tanh"])
        }
        layers.append(layer("out", units: outputs, activation: activation))
        let samples = 1 + pick(6)
        let targetScale = choose([0.001, 0.5, 4.0])
        let data = (0..<samples).map { _ -> String in
            var targets: [Double]
            switch loss {
            case "cross_entropy":
                if pick(2) == 0 {
                    let hot = pick(outputs)
                    targets = (0..<outputs).map { $0 == hot ? 1 : 0 }
                } else {
                    // A distribution: 1/4 + |x| per class, normalized (within 1e-9 of 1).
                    let raw = (0..<outputs).map { _ in 0.25 + abs(random.next()) }
                    let sum = raw.reduce(0, +)
                    targets = raw.map { $0 / sum }
                }
            case "binary_cross_entropy":
                targets = (0..<outputs).map { _ in pick(2) == 0 ? Double(pick(2)) : (random.next() + 4) / 8 }
            default:
                targets = (0..<outputs).map { _ in random.next() / 4 * targetScale }
            }
            return "  - {inputs: \(numbers(inputs, scale: inputScale)), targets: [\(targets.map { "\($0)" }.joined(separator: ", "))]}"
        }
        let optimizer = choose([
            "sgd", "{name: sgd, momentum: 0.9}", "{name: sgd, momentum: 0.5, nesterov: true, weight_decay: 0.01}",
            "adam", "{name: adam, weight_decay: 0.1}",
        ])
        let batch = choose(["full", "online", String(1 + pick(samples))])
        let shuffle = batch != "full" && pick(2) == 0 ? ", shuffle: {seed: \(seed)}" : ""
        return """
            nnrun: 1
            name: corpus-\(seed)
            model:
              inputs: \(inputs)
              layers:
            \(layers.joined(separator: "\n"))
            data:
            \(data.joined(separator: "\n"))
            training: {loss: \(loss), optimizer: \(optimizer), learning_rate: \(choose([0.01, 0.1, 0.5])), steps: \(steps(seed)), batch: \(batch)\(shuffle)}
            """
    }

    /// Most specs are checked at step 1, 2 or 3, from their drawn weights; one in four after
    /// 300 steps of training, where the fit is closer and the loss smaller than its outputs.
    static func steps(_ seed: UInt64) -> Int { seed % 4 == 0 ? 300 : 3 }

    static func corpus() throws -> [(text: String, report: GradientCheck.Report)] {
        try (1...UInt64(corpusSize)).map { seed in
            let text = spec(seed)
            let validated = try Training.validate(text)
            let step = steps(seed) == 300 ? 300 : 1 + Int(seed % 3)
            let report = try XCTUnwrap(GradientCheck.run(validated, step: step, epsilon: h, relativeTolerance: rtol, perLayer: 200))
            return (text, report)
        }
    }

    func testNoFalseAlarmOnACorpusOfCorrectGradients() throws {
        let corpus = try Self.corpus()
        var entries = 0, smallGradients = 0, oldCriterionFailures = 0
        for (text, report) in corpus {
            for entry in report.entries {
                XCTAssertTrue(entry.passed, "\(entry.layer).\(entry.parameter): analytic \(entry.analytic), numeric \(entry.numeric), |a - n| \(entry.difference) > allowed \(entry.allowed)\n\(text)")
                entries += 1
                if abs(entry.analytic) < 1e-4 { smallGradients += 1 }
                // What a relative criterion alone (1e-6; absolute below 1e-7) would call a failure.
                if entry.difference / max(abs(entry.analytic), abs(entry.numeric), 1e-7) > 1e-6 { oldCriterionFailures += 1 }
            }
        }
        XCTAssertGreaterThan(entries, 2000)
        // The corpus holds the gradients that trip a relative criterion: many small ones,
        // and some whose rounding noise a relative tolerance of 1e-6 alone calls a failure.
        XCTAssertGreaterThan(smallGradients, 100)
        XCTAssertGreaterThan(oldCriterionFailures, 0)
    }

    /// Planted bugs: each correct analytic gradient of the corpus replaced by a wrong one.
    /// A sign flip of any gradient above the resolution is caught; so is a relative error
    /// of 1e-3 wherever it exceeds the allowance, which (the resolution being fine) is the
    /// great majority of the corpus's gradients.
    func testPlantedGradientErrorsAreCaught() throws {
        let corpus = try Self.corpus()
        var flipped = 0, perturbed = 0, perturbable = 0, nonzero = 0
        for (_, report) in corpus {
            let atol = report.absoluteTolerance
            for entry in report.entries where entry.analytic != 0 {
                nonzero += 1
                func planted(_ analytic: Double) -> GradientCheck.Entry {
                    GradientCheck.Entry(layer: entry.layer, parameter: entry.parameter, analytic: analytic, numeric: entry.numeric,
                                        absoluteTolerance: atol, relativeTolerance: report.relativeTolerance)
                }
                // A flipped sign is off by 2|g|: above atol + rtol |g| once |g| > atol (rtol < 1).
                if abs(entry.analytic) > atol {
                    XCTAssertFalse(planted(-entry.analytic).passed, "sign flip of \(entry.analytic) (atol \(atol))")
                    flipped += 1
                }
                // Off by 1e-3 |g|, caught once 1e-3 |g| > atol + rtol |n| + |a - n|, with a
                // margin of 2 so that the check is not decided by the last digit.
                let wrong = entry.analytic * (1 + 1e-3)
                if 1e-3 * abs(entry.analytic) > 2 * (atol + report.relativeTolerance * abs(entry.numeric)) {
                    XCTAssertFalse(planted(wrong).passed, "\(entry.analytic) x (1 + 1e-3) (atol \(atol))")
                    perturbable += 1
                }
                if !planted(wrong).passed { perturbed += 1 }
            }
        }
        XCTAssertGreaterThan(Double(flipped), 0.95 * Double(nonzero), "sign flips are caught on almost all gradients")
        XCTAssertGreaterThan(Double(perturbable), 0.85 * Double(nonzero), "a relative 1e-3 error is detectable on most gradients")
        XCTAssertGreaterThanOrEqual(perturbed, perturbable)
    }

    /// The issue's false alarm: analytic -1.3993454e-05, numeric -1.3993029e-05 (absolute
    /// difference 4.25e-10, relative 3e-5) at h = 1e-6 on a loss of scale about 1: within
    /// K eps S / h = 16 x 2.2e-16 x 1 / 1e-6 = 3.6e-9. Flipped in sign, it fails.
    func testTheReportedSmallGradientPassesAndItsSignFlipFails() {
        let atol = GradientCheck.absoluteTolerance(lossScale: 1, epsilon: 1e-6)
        XCTAssertEqual(atol, 16 * 0x1p-52 / 1e-6, accuracy: 1e-24)
        func entry(_ analytic: Double) -> GradientCheck.Entry {
            GradientCheck.Entry(layer: "hidden", parameter: "weights[0][0]", analytic: analytic, numeric: -1.3993029e-05,
                                absoluteTolerance: atol, relativeTolerance: 1e-6)
        }
        XCTAssertTrue(entry(-1.3993454e-05).passed)
        XCTAssertFalse(entry(1.3993454e-05).passed)
        XCTAssertFalse(entry(-1.3993454e-05 * 1.001).passed)
    }
}
