import Planning
@testable import Running
import TestSupport
import Validation
import XCTest

/// Two threads divide a deferred update at the start of a weight row or a layer nearest the
/// middle of the parameters (`Workspace.parameterSplit`); each computes the gradients of its
/// side and steps them.
final class ParameterSplitTests: XCTestCase {
    private func split(inputs: Int, hidden: Int, outputs: Int) throws -> Int {
        let spec = TestSpecs.twoLayer(inputs: inputs, hidden: hidden, outputs: outputs)
        return Workspace.parameterSplit(Planner.plan(try Training.validate(spec)))
    }

    func testTheSplitIsTheRowStartNearestTheMiddle() throws {
        // 3-4-2: hidden weights 0..<12 in rows of 3, biases 12..<16; output weights 16..<24 in
        // rows of 4, biases 24..<26. The middle is 13: the row starts 12 and 15 do not exist
        // past the weights, so 12 (one away) beats 16 (three away).
        XCTAssertEqual(try split(inputs: 3, hidden: 4, outputs: 2), 12)
    }

    func testW3sShapesSplitInsideTheHiddenWeights() throws {
        // 64-128-10: hidden weights 0..<8192 in rows of 64, biases 8192..<8320; output weights
        // 8320..<9600, biases 9600..<9610. The middle is 4805; the nearest row start is
        // 75 × 64 = 4800, so the first thread takes 4,800 weights and the second 4,810
        // parameters (53 rows, the hidden biases and the output layer).
        XCTAssertEqual(try split(inputs: 64, hidden: 128, outputs: 10), 4800)
    }

    func testAMiddleAmongTheBiasesGoesToTheNearerEnd() throws {
        // 1-51-1: hidden weights 0..<51 in rows of 1, biases 51..<102; the output's one row
        // 102..<153, bias 153. The middle is 77: the last hidden row start, 51, is 26 away,
        // the end of the hidden layer, 102, 25.
        XCTAssertEqual(try split(inputs: 1, hidden: 51, outputs: 1), 102)
    }
}
