import Planning
import TestSupport
import Validation
import XCTest

/// The work a pass counts per row (`Plan.evaluationMultiplyAdds`, `Plan.updateMultiplyAdds`),
/// which every path adds to the run's multiply-adds and `nnrun bench` reports as GFLOP/s.
final class PlanMultiplyAddsTests: XCTestCase {
    private func plan(inputs: Int, hidden: Int, outputs: Int, update: String) throws -> Plan {
        let spec = TestSpecs.twoLayer(inputs: inputs, hidden: hidden, outputs: outputs, training: "  update: \(update)")
        return Planner.plan(try Training.validate(spec))
    }

    func testTheTutorialsShapesCountEachProductOnce() throws {
        // 2-2-2: the forward products are 2 × 2 and 2 × 2 (8). The update's gradients are
        // the same two products (8) and the only propagation is the output layer's 2 × 2
        // (the input layer's dOut is never needed): 12.
        for update in ["deferred", "immediate"] {
            let plan = try plan(inputs: 2, hidden: 2, outputs: 2, update: update)
            XCTAssertEqual(plan.evaluationMultiplyAdds, 8, update)
            XCTAssertEqual(plan.updateMultiplyAdds, 12, update)
        }
    }

    func testW3sShapes() throws {
        // 64-128-10: forward 64 × 128 + 128 × 10 = 8,192 + 1,280 = 9,472; the update adds the
        // output layer's propagation, 1,280, to the gradients' 9,472: 10,752.
        let plan = try plan(inputs: 64, hidden: 128, outputs: 10, update: "deferred")
        XCTAssertEqual(plan.evaluationMultiplyAdds, 9_472)
        XCTAssertEqual(plan.updateMultiplyAdds, 10_752)
    }
}
