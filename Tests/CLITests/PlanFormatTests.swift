import Foundation
import TestSupport
import XCTest

/// `nnrun plan` as text, and `--format json|dot`: the plan as data and as a Graphviz graph.
final class PlanFormatTests: XCTestCase {
    private func plan(_ spec: String, _ format: String) throws -> String {
        let output = try NnrunProcess.run(["plan", Repository.file(spec).path, "--format", format])
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout
    }

    func testTheTutorialsPlanAsJSONHasItsBuffersAndOperations() throws {
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try plan("specs/tutorial.yaml", "json").utf8)) as? [String: Any])
        // Two layers of (2, 2) weights and one shared bias each: 4 + 1 + 4 + 1 parameters,
        // laid out weights then bias, layer by layer (Docs/architecture.md).
        XCTAssertEqual(object["parameter_count"] as? Int, 10)
        let layers = try XCTUnwrap(object["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.map { ($0["weights"] as? [String: Int])?["offset"] }, [0, 5])
        XCTAssertEqual(layers.map { ($0["bias"] as? [String: Any])?["offset"] as? Int }, [4, 9])
        XCTAssertEqual(layers.map { ($0["bias"] as? [String: Any])?["shared"] as? Bool }, [true, true])
        let operations = try XCTUnwrap(object["operations"] as? [String: [[String: Any]]])
        func named(_ list: [[String: Any]]?) -> [String] {
            (list ?? []).map { "\($0["op"] ?? "")" + ($0["layer"].map { "(\($0))" } ?? "") }
        }
        XCTAssertEqual(named(operations["evaluation"]), ["forward(0)", "forward(1)", "loss"])
        // The deferred order: delta(L), gradient(L), propagate(L), delta(L-1), ..., gradient(1), step(1), ..., step(L).
        XCTAssertEqual(named(operations["update"]), ["delta(1)", "gradient(1)", "propagate(1)", "delta(0)", "gradient(0)", "step(0)", "step(1)"])
    }

    /// Every shipped spec's plan against Docs/schemas/plan.schema.json, with Python's jsonschema.
    func testPlansOfTheShippedSpecsMatchTheirSchema() throws {
        let python = URL(fileURLWithPath: "/usr/bin/env")
        guard try NnrunProcess.run(["python3", "-c", "import jsonschema, yaml; yaml.CSafeLoader"], executable: python).status == 0 else {
            throw missingTool("python3 with jsonschema and PyYAML (built with libyaml) is needed: pip install jsonschema pyyaml")
        }
        let folder = try NnrunProcess.temporaryFolder()
        let specs = try FileManager.default.contentsOfDirectory(atPath: Repository.file("specs").path).filter { $0.hasSuffix(".yaml") }.sorted()
        var files: [String] = []
        for spec in specs {
            let file = folder.appendingPathComponent(spec.replacingOccurrences(of: ".yaml", with: ".plan.json"))
            try plan("specs/\(spec)", "json").write(to: file, atomically: true, encoding: .utf8)
            files.append(file.path)
        }
        let result = try NnrunProcess.run(["python3", Repository.file("Tests/CLITests/Fixtures/validate_schema.py").path,
                                           Repository.file("Docs/schemas/plan.schema.json").path] + files, executable: python)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.hasSuffix("\(files.count) files, 0 errors\n"), result.stdout)
    }

    /// The text plan says what the spec's training breadth keys do: iris.csv has 150 flowers,
    /// `validation: {split: 0.2, seed: 1}` holds out floor(0.2 x 150) = 30 of them, the
    /// scaling is fitted on the other 120, and early stopping watches the validation loss.
    func testTheTextPlanNamesTheSplitTheScalingAndEarlyStopping() throws {
        let output = try NnrunProcess.run(["plan", Repository.file("specs/iris-early-stopping.yaml").path])
        XCTAssertEqual(output.status, 0, output.stderr)
        let text = output.stdout
        XCTAssertTrue(text.contains("  inputs: 4   samples: 120   outputs: 3\n"), text)
        XCTAssertTrue(text.contains("  validation: 30 of the 150 samples held out (split 0.2, drawn with seed 1)\n"), text)
        XCTAssertTrue(text.contains("  inputs scaled: standardize, constants fitted on the 120 training samples"), text)
        XCTAssertTrue(text.contains("  early stopping: validation_loss checked at every recorded step, patience 5, min delta 0.0001; the results hold the best check's parameters\n"), text)
        XCTAssertTrue(text.contains("exponential schedule by epoch, warm-up 3"), text)

        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try plan("specs/iris-early-stopping.yaml", "json").utf8)) as? [String: Any])
        let split = try XCTUnwrap(object["validation_split"] as? [String: Any])
        XCTAssertEqual(split["held_out"] as? Int, 30)
        XCTAssertEqual(split["seed"] as? String, "1")
        XCTAssertEqual((object["input_scaling"] as? [String: Any])?["method"] as? String, "standardize")
        let training = try XCTUnwrap(object["training"] as? [String: Any])
        let schedule = try XCTUnwrap(training["schedule"] as? [String: Any])
        XCTAssertEqual(schedule["name"] as? String, "exponential")
        XCTAssertEqual(schedule["gamma"] as? Double, 0.97)
        XCTAssertEqual(schedule["warmup"] as? Int, 3)
        XCTAssertEqual(schedule["every"] as? String, "epoch")
        let stopping = try XCTUnwrap(training["early_stopping"] as? [String: Any])
        XCTAssertEqual(stopping["monitor"] as? String, "validation_loss")
        XCTAssertEqual(stopping["patience"] as? Int, 5)
        XCTAssertEqual(stopping["min_delta"] as? Double, 0.0001)
        XCTAssertEqual(stopping["restore_best"] as? Bool, true)
    }

    func testTheDotGraphHasOneEdgePerWeightMatrix() throws {
        let dot = try plan("specs/tutorial.yaml", "dot")
        XCTAssertTrue(dot.hasPrefix("digraph \"tutorial\" {\n"), dot)
        XCTAssertTrue(dot.contains("  inputs -> layer0 [label=\"W (2, 2)\"];\n"), dot)
        XCTAssertTrue(dot.contains("  layer0 -> layer1 [label=\"W (2, 2)\"];\n"), dot)
        XCTAssertTrue(dot.contains("shared bias (fixed)"), dot)
    }
}
