import Running
import TestSupport
import XCTest

/// Every number "A Step by Step Backpropagation Example" prints for its first step,
/// to the digits it prints (Matt Mazur, https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/),
/// read from the results and trace of specs/tutorial.yaml. Where the tutorial's own figure
/// is not exact arithmetic, the errata in Docs/tutorial.md give the exact one and the reason.
final class TutorialTests: XCTestCase {
    // Each spec is trained once, on first use, for all the tests of this class.
    private static let deferredRun = Result { try Training.run(specFile: "specs/tutorial.yaml") }
    private static let immediateRun = Result { try Training.run(specFile: "specs/tutorial-published.yaml") }
    private static var deferred: TrainingResult? { try? deferredRun.get() }
    private static var immediate: TrainingResult? { try? immediateRun.get() }

    private var step1: TraceStep {
        get throws {
            let result = try XCTUnwrap(Self.deferred, "specs/tutorial.yaml did not validate")
            return try XCTUnwrap(result.trace.first { $0.step == 1 }, "step 1 is not traced")
        }
    }

    private func assertPrinted(_ value: Double, _ printed: String, _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Printed.rounded(value, like: printed), printed, "\(what): computed \(value)", file: file, line: line)
    }

    func testForwardPassMatchesTheTutorial() throws {
        let hidden = try step1.layers[0], output = try step1.layers[1]
        assertPrinted(hidden.net[0][0], "0.3775", "net_h1")
        assertPrinted(hidden.out[0][0], "0.593269992", "out_h1")
        assertPrinted(hidden.out[0][1], "0.596884378", "out_h2")
        assertPrinted(output.net[0][0], "1.105905967", "net_o1")
        assertPrinted(output.out[0][0], "0.75136507", "out_o1")
        assertPrinted(output.out[0][1], "0.772928465", "out_o2")
    }

    func testErrorsMatchTheTutorial() throws {
        let sample = try step1.samples[0]
        assertPrinted(sample.outputTerms[0], "0.274811083", "E_o1")
        assertPrinted(sample.outputTerms[1], "0.023560026", "E_o2")
        assertPrinted(sample.loss, "0.298371109", "E_total")
        assertPrinted(try step1.loss, "0.298371109", "E_total (batch)")
        assertPrinted(try XCTUnwrap(Self.deferred).initial.loss, "0.298371109", "E_total at step 0")
    }

    func testOutputLayerChainRuleFactorsMatchTheTutorial() throws {
        let output = try step1.layers[1]
        assertPrinted(output.dOut[0][0], "0.74136507", "dE_total/dout_o1")
        assertPrinted(output.slope[0][0], "0.186815602", "dout_o1/dnet_o1")
        assertPrinted(output.delta[0][0], "0.138498562", "delta_o1")
        assertPrinted(output.weightGradient[0][0], "0.082167041", "dE_total/dw5")
        // Reader comment 5: dE_total/dout_o2, dout_o2/dnet_o2 and dE_total/dw7.
        assertPrinted(output.dOut[0][1], "-0.21707153", "dE_total/dout_o2")
        assertPrinted(output.slope[0][1], "0.17551005", "dout_o2/dnet_o2")
        assertPrinted(output.weightGradient[1][0], "-0.02260254", "dE_total/dw7")
    }

    func testHiddenLayerChainRuleFactorsMatchTheTutorial() throws {
        let hidden = try step1.layers[0], output = try step1.layers[1]
        // dE_o1/dout_h1 = delta_o1 * w5 and dE_o2/dout_h1 = delta_o2 * w7, with the
        // initial w5 = 0.40 and w7 = 0.50 (the terms of the sum the trace records in d_out).
        assertPrinted(output.delta[0][0] * 0.40, "0.055399425", "dE_o1/dout_h1")
        // The tutorial prints -0.019049119 from rounded intermediates; exact is -0.0190491182582781 (the errata in Docs/tutorial.md).
        assertPrinted(output.delta[0][1] * 0.50, "-0.019049118", "dE_o2/dout_h1")
        assertPrinted(hidden.dOut[0][0], "0.036350306", "dE_total/dout_h1")
        assertPrinted(hidden.slope[0][0], "0.241300709", "dout_h1/dnet_h1")
        assertPrinted(hidden.weightGradient[0][0], "0.000438568", "dE_total/dw1")
    }

    func testUpdatedWeightsMatchTheTutorial() throws {
        let hidden = try step1.layers[0], output = try step1.layers[1]
        let printed: [(Double, String, String)] = [
            (hidden.weights[0][0], "0.149780716", "w1+"), (hidden.weights[0][1], "0.19956143", "w2+"),
            (hidden.weights[1][0], "0.24975114", "w3+"), (hidden.weights[1][1], "0.29950229", "w4+"),
            (output.weights[0][0], "0.35891648", "w5+"), (output.weights[0][1], "0.408666186", "w6+"),
            (output.weights[1][0], "0.511301270", "w7+"), (output.weights[1][1], "0.561370121", "w8+"),
        ]
        for (value, figure, name) in printed { assertPrinted(value, figure, name) }
        // train_biases: false, as in the tutorial: b1 and b2 stay put (shared, so repeated per unit).
        XCTAssertEqual(hidden.bias, [0.35, 0.35])
        XCTAssertEqual(output.bias, [0.60, 0.60])
    }

    /// Deferred (the ordering the tutorial's text derives) gives the exact figures of the errata in Docs/tutorial.md.
    func testDeferredHeadlineFigures() throws {
        let result = try XCTUnwrap(Self.deferred)
        XCTAssertEqual(result.history.steps[1], 1)
        assertPrinted(result.history.loss[1], "0.291027774", "error after one step (deferred)")
        XCTAssertEqual(result.final.step, 10_000)
        assertPrinted(result.final.outputs[0][0], "0.015913620", "o1 after 10,000 steps (deferred)")
        assertPrinted(result.final.outputs[0][1], "0.984064274", "o2 after 10,000 steps (deferred)")
        assertPrinted(result.final.loss, "3.5101878e-05", "error after 10,000 steps (deferred)")
        // The tutorial's 0.0000351085 is the deferred error after 9,999 updates.
        XCTAssertEqual(result.history.steps[9_999], 9_999)
        assertPrinted(result.history.loss[9_999], "0.0000351085", "error after 9,999 steps (deferred)")
    }

    /// Immediate (output weights updated before the hidden deltas) gives the published figures.
    func testImmediateOrderingReproducesThePublishedHeadlineFigures() throws {
        let result = try XCTUnwrap(Self.immediate, "specs/tutorial-published.yaml did not validate")
        assertPrinted(result.history.loss[1], "0.291027924", "error after one step (published)")
        assertPrinted(result.final.outputs[0][0], "0.015912196", "o1 after 10,000 steps (published)")
        assertPrinted(result.final.outputs[0][1], "0.984065734", "o2 after 10,000 steps (published)")
        assertPrinted(result.final.loss, "0.0000350848", "error after 10,000 steps (immediate)")
    }

    /// The history: step 0 first, every step (record.every = 1), 10,001 points.
    func testHistoryRecordsEveryStep() throws {
        let result = try XCTUnwrap(Self.deferred)
        XCTAssertEqual(result.history.steps, Array(0...10_000))
        XCTAssertEqual(result.history.loss.first, result.initial.loss)
        XCTAssertEqual(result.history.loss.last, result.final.loss)
    }
}
