import Planning
@testable import Running
import TestSupport
import Validation
import XCTest

/// Steps of adjacent layers that follow one another in the plan are one optimizer update
/// over their parameters (`Workspace.updateRanges`); anything between them, or a gap of
/// untrained biases, keeps them apart.
final class UpdateRangeTests: XCTestCase {
    /// A 3-4-2 network (16 then 10 parameters with their biases) with `training` added.
    private func ranges(_ training: String) throws -> [Range<Int>] {
        let spec = TestSpecs.twoLayer(inputs: 3, hidden: 4, outputs: 2, training: training)
        return Workspace.updateRanges(Planner.plan(try Training.validate(spec)))
    }

    func testDeferredStepsOfAdjacentLayersAreOneUpdate() throws {
        // Weights 12, biases 4 (offsets 0 to 16), then weights 8, biases 2 (16 to 26).
        XCTAssertEqual(try ranges(""), [0..<26, 0..<0])
    }

    func testImmediateStepsStayApart() throws {
        // update(out) comes before propagate(out), update(hidden) at the end.
        XCTAssertEqual(try ranges("  update: immediate"), [0..<16, 16..<26])
    }

    func testUntrainedBiasesSeparateTheLayers() throws {
        // Each layer's weights only: 0 to 12 and 16 to 24.
        XCTAssertEqual(try ranges("  train_biases: false"), [0..<12, 16..<24])
    }
}
