import Foundation
import TestSupport
import XCTest

/// `nnrun plan --format json|dot`: the plan as data and as a Graphviz graph.
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

    func testTheDotGraphHasOneEdgePerWeightMatrix() throws {
        let dot = try plan("specs/tutorial.yaml", "dot")
        XCTAssertTrue(dot.hasPrefix("digraph \"tutorial\" {\n"), dot)
        XCTAssertTrue(dot.contains("  inputs -> layer0 [label=\"W (2, 2)\"];\n"), dot)
        XCTAssertTrue(dot.contains("  layer0 -> layer1 [label=\"W (2, 2)\"];\n"), dot)
        XCTAssertTrue(dot.contains("shared bias (fixed)"), dot)
    }
}
