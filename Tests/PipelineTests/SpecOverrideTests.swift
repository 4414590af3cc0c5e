import Diagnostics
import Sweeps
import TestSupport
import XCTest
import YAMLSource

/// Values set at key paths of a spec's text (`SpecOverride`): written in place as a sweep
/// writes its values, and refused, located, when the spec does not write the path.
final class SpecOverrideTests: XCTestCase {
    private let spec = """
        nnrun: 1
        model:
          inputs: 1
          layers:
            - name: out          # the only layer
              units: 1
              activation: linear
              weights: [[0.5]]
              bias: 0.1
        training: {loss: half_squared_error, learning_rate: 0.1, steps: 1}
        """

    private func failure(_ overrides: [SpecOverride], in text: String) -> SpecOverride.Failure? {
        do { _ = try SpecOverride.apply(overrides, to: text); return nil } catch { return error }
    }

    func testAValueIsWrittenInPlaceAndTheRestOfTheTextIsKept() throws {
        let edited = try SpecOverride.apply([
            SpecOverride(path: "training.learning_rate", value: "0.25"),
            SpecOverride(path: "model.layers[0].units", value: "16"),
            SpecOverride(path: "model.layers[0].weights", value: "[[0.5], [0.7]]"),
            SpecOverride(path: "model.layers[0].bias", value: "[0, 0]"),
        ], to: spec)
        XCTAssertEqual(edited, """
            nnrun: 1
            model:
              inputs: 1
              layers:
                - name: out          # the only layer
                  units: 16
                  activation: linear
                  weights: [[0.5], [0.7]]
                  bias: [0, 0]
            training: {loss: half_squared_error, learning_rate: 0.25, steps: 1}
            """)
    }

    func testALaterOverrideOfTheSamePathWins() throws {
        let edited = try SpecOverride.apply([SpecOverride(path: "training.steps", value: "2"),
                                             SpecOverride(path: "training.steps", value: "30")], to: spec)
        XCTAssertTrue(edited.hasSuffix("learning_rate: 0.1, steps: 30}"), edited)
    }

    /// The mechanism a sweep uses: one run of a one-value sweep is the spec with the value
    /// set, and the sweep section left out.
    func testASweepRunIsTheSpecWithItsValuesSet() throws {
        let sweepSpec = spec + "\nsweep:\n  training.learning_rate: [0.3]\n  model.layers[0].units: [4]\n"
        guard case .success(let root) = YAMLLoader.load(Array(sweepSpec.utf8)) else { return XCTFail("the spec loads") }
        let run = try XCTUnwrap(SweepParser.parse(root).sweep?.runs(source: sweepSpec).first)
        let set = try SpecOverride.apply([SpecOverride(path: "training.learning_rate", value: "0.3"),
                                          SpecOverride(path: "model.layers[0].units", value: "4")], to: spec)
        // The section runs to the end of the file, so the run's text ends where the spec's did.
        XCTAssertEqual(run.text, set)
    }

    func testAPathTheSpecDoesNotWriteIsLocatedWithTheNearestKey() throws {
        let failure = try XCTUnwrap(failure([SpecOverride(path: "training.lr", value: "0.2")], in: spec))
        // The training mapping starts at line 10, column 11 ("training: {").
        XCTAssertEqual(failure.description,
                       "10:11: training.lr=0.2: the spec does not write 'training.lr' (it stops at 'training') - did you mean 'training.learning_rate'?")
    }

    /// A key missing from a block mapping is added on a line of its own, below the mapping's
    /// last pair written on one line and indented as it is; the lines above keep their numbers.
    func testAMissingKeyOfABlockMappingIsAddedOnANewLine() throws {
        let seeded = try SpecOverride.apply([SpecOverride(path: "seed", value: "3")], to: spec)
        XCTAssertEqual(seeded, spec + "\nseed: 3")
        let named = try SpecOverride.apply([SpecOverride(path: "model.layers[0].alpha", value: "0.1")], to: spec)
        XCTAssertEqual(named, try spec.replacing(exactlyOnce: "bias: 0.1\n", with: "bias: 0.1\n      alpha: 0.1\n"))
        // Keys below a missing one are written in brackets, on the one added line.
        let nested = try SpecOverride.apply([SpecOverride(path: "record.trace.steps", value: "[1]")], to: spec)
        XCTAssertEqual(nested, spec + "\nrecord: {trace: {steps: [1]}}")
    }

    /// A key missing from a mapping in brackets, a key below a missing one, and a list item
    /// past the end are failures.
    func testAMissingKeyThatCannotBeAddedOrListItemIsAFailure() throws {
        let flow = try XCTUnwrap(failure([SpecOverride(path: "training.optimizer.name", value: "adam")], in: spec))
        XCTAssertEqual(flow.message, "the spec does not write 'training.optimizer.name' (it stops at 'training')")
        let item = try XCTUnwrap(failure([SpecOverride(path: "model.layers[1].units", value: "3")], in: spec))
        XCTAssertEqual(item.message, "the spec does not write 'model.layers[1].units' (it stops at 'model.layers')")
        let unreadable = try XCTUnwrap(failure([SpecOverride(path: "model..inputs", value: "3")], in: spec))
        XCTAssertTrue(unreadable.message.hasPrefix("cannot read the key path 'model..inputs'"), unreadable.message)
    }

    func testABlockMappingIsNotReplaced() throws {
        let failure = try XCTUnwrap(failure([SpecOverride(path: "model", value: "{inputs: 2}")], in: spec))
        XCTAssertEqual(failure.location, SourceLocation(line: 3, column: 3), "the block mapping starts at its first key")
        XCTAssertTrue(failure.message.hasPrefix("'model' is a mapping in the spec; an override replaces a single value"), failure.message)
    }

    func testAValueMustBeOneValueOnOneLineThatReadsBackAsItself() throws {
        let twoLines = try XCTUnwrap(failure([SpecOverride(path: "training.steps", value: "1\n2")], in: spec))
        XCTAssertTrue(twoLines.message.hasPrefix("expected the value for 'training.steps' as one YAML value on one line"), twoLines.message)
        let mapping = try XCTUnwrap(failure([SpecOverride(path: "training.steps", value: "a: 1")], in: spec))
        XCTAssertTrue(mapping.message.hasPrefix("expected the value for 'training.steps' as one YAML value"), mapping.message)
        // In the flow mapping, "0.2, extra" would be the value 0.2 and a new key 'extra'.
        let injected = try XCTUnwrap(failure([SpecOverride(path: "training.learning_rate", value: "0.2, extra")], in: spec))
        XCTAssertEqual(injected.message, "'0.2, extra' written at 'training.learning_rate' would not read back as one value; quote it")
        XCTAssertNoThrow(try SpecOverride.apply([SpecOverride(path: "training.learning_rate", value: "\"0.2, extra\"")], to: spec))
    }

    func testTheTestHelpersFailWhenTheirTextIsNotThere() throws {
        XCTAssertThrowsError(try TestSpecs.derived(from: spec, setting: ["training.learning_rate": "0.2", "training.stpes": "2"])) {
            XCTAssertTrue("\($0)".contains("did you mean 'training.steps'?"), "\($0)")
        }
        XCTAssertEqual(try "a b a".replacing(exactlyOnce: "b", with: "c"), "a c a")
        XCTAssertThrowsError(try "a b a".replacing(exactlyOnce: "a", with: "c")) {
            XCTAssertEqual("\($0)", "expected 'a' exactly once in the text, found it 2 times")
        }
        XCTAssertThrowsError(try "a b a".replacing(exactlyOnce: "d", with: "c")) {
            XCTAssertEqual("\($0)", "expected 'd' exactly once in the text, found it 0 times")
        }
    }
}
