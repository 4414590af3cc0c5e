import Foundation
import TestSupport
import XCTest

/// `nnrun explain --exercise`: the page with the chosen phases' answers blanked, and a key
/// that puts them back: exercise + key = the full page, in every format.
final class ExerciseTests: XCTestCase {
    private enum Format: String, CaseIterable {
        case markdown, text, html

        var fileExtension: String { self == .markdown ? "md" : self == .text ? "txt" : "html" }

        /// How blank n appears in the exercise.
        func blank(_ number: Int) -> String {
            switch self {
            case .markdown: return "\\underline{?_{\(number)}}"
            case .text: return "[?\(number)]"
            case .html: return "<mrow class=\"blank\"><mtext>?\(number)</mtext></mrow>"
            }
        }

        /// The key's answers in blank order, read from its table.
        func answers(in key: String) -> [String] {
            switch self {
            case .text:
                return key.split(separator: "\n").filter { $0.hasPrefix("  [?") }.compactMap { row in
                    row.components(separatedBy: "  ").filter { !$0.isEmpty }.last?.trimmingCharacters(in: .whitespaces)
                }
            case .markdown:
                return key.split(separator: "\n").filter { $0.hasPrefix("| [?") }.compactMap { row in
                    row.dropFirst(2).dropLast(2).components(separatedBy: " | ").last.map { String($0.dropFirst().dropLast()) }
                }
            case .html:
                return key.components(separatedBy: "<tr><td>[?").dropFirst().compactMap { row in
                    guard let last = row.components(separatedBy: "<td><math>").last, let end = last.range(of: "</math></td></tr>") else { return nil }
                    return String(last[..<end.lowerBound])
                }
            }
        }
    }

    private func explain(_ spec: URL, _ format: Format, _ extra: [String]) throws -> (full: String, page: String, key: String) {
        let folder = try NnrunProcess.temporaryFolder()
        let page = folder.appendingPathComponent("exercise.\(format.fileExtension)")
        let full = try NnrunProcess.run(["explain", spec.path, "--format", format.rawValue])
        XCTAssertEqual(full.status, 0, full.stderr)
        let exercise = try NnrunProcess.run(["explain", spec.path, "--format", format.rawValue, "--exercise", "-o", page.path] + extra)
        XCTAssertEqual(exercise.status, 0, exercise.stderr)
        let key = folder.appendingPathComponent("exercise-key.\(format.fileExtension)")
        return (full.stdout, try String(contentsOf: page, encoding: .utf8), try String(contentsOf: key, encoding: .utf8))
    }

    /// Puts each answer of the key in place of its blank.
    private func filled(_ page: String, _ answers: [String], _ format: Format) -> String {
        var text = page
        for (index, answer) in answers.enumerated().reversed() {
            text = text.replacingOccurrences(of: format.blank(index + 1), with: answer)
        }
        return text
    }

    private func assertExerciseAndKeyMakeThePage(_ spec: URL, _ format: Format, _ extra: [String] = [],
                                                 file: StaticString = #filePath, line: UInt = #line) throws -> (page: String, answers: [String]) {
        let (full, page, key) = try explain(spec, format, extra)
        let answers = format.answers(in: key)
        XCTAssertGreaterThan(answers.count, 0, key, file: file, line: line)
        XCTAssertTrue(page.contains(format.blank(answers.count)), "the last blank is numbered like the key's last row", file: file, line: line)
        XCTAssertFalse(page.contains(format.blank(answers.count + 1)), "no blank without an answer", file: file, line: line)
        XCTAssertNotEqual(page, full, file: file, line: line)
        XCTAssertEqual(filled(page, answers, format), full, "exercise + key = the full page", file: file, line: line)
        return (page, answers)
    }

    func testTheTutorialsExerciseAndItsKeyMakeTheFullPageInEveryFormat() throws {
        for format in Format.allCases {
            _ = try assertExerciseAndKeyMakeThePage(Repository.file("specs/tutorial.yaml"), format)
        }
    }

    func testTheTutorialsBlanksAreItsWorkedNumbers() throws {
        let (page, answers) = try assertExerciseAndKeyMakeThePage(Repository.file("specs/tutorial.yaml"), .text)
        // The tutorial's figures, in the order the page works them out.
        XCTAssertEqual(Array(answers.prefix(3)), ["0.3775", "0.593269992", "0.3925"])
        XCTAssertTrue(page.contains("    net_h1 = w1 * i1 + w2 * i2 + b1 * 1\n\n    net_h1 = 0.15 * 0.05 + 0.2 * 0.1 + 0.35 * 1 = [?1]\n"), page)
        XCTAssertTrue(answers.contains("0.138498562"), "delta_o1")
        XCTAssertTrue(answers.contains("0.35891648"), "w5+")
        XCTAssertFalse(page.contains("= 0.35891648\n"), "w5+ is blanked")
    }

    func testOnlyTheChosenPhasesAreBlanked() throws {
        let spec = try ExplainSpecs.reluSoftmaxBatch()
        let (page, answers) = try assertExerciseAndKeyMakeThePage(spec, .markdown, ["--blank", "update"])
        let key = try explain(spec, .markdown, ["--blank", "update"]).key
        XCTAssertEqual(key.split(separator: "\n").filter { $0.hasPrefix("| [?") }.count, answers.count)
        XCTAssertFalse(key.contains("| forward |") || key.contains("| backward |"), key)
        XCTAssertTrue(page.contains("## The forward pass"))
        _ = try assertExerciseAndKeyMakeThePage(spec, .text, ["--blank", "forward,backward"])
        _ = try assertExerciseAndKeyMakeThePage(Repository.file("specs/iris.yaml"), .html, ["--blank", "backward"])
    }

    func testAnExerciseNeedsAPlaceForItsKeyAndKnownPhases() throws {
        let spec = Repository.file("specs/tutorial.yaml").path
        let noKey = try NnrunProcess.run(["explain", spec, "--exercise"])
        XCTAssertEqual(noKey.status, 64)
        XCTAssertTrue(noKey.stderr.contains("give -o PATH"), noKey.stderr)
        let unknown = try NnrunProcess.run(["explain", spec, "--exercise", "-o", "/tmp/x.md", "--blank", "forward,loss"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("got 'loss'"), unknown.stderr)
        let blankAlone = try NnrunProcess.run(["explain", spec, "--blank", "update"])
        XCTAssertEqual(blankAlone.status, 64)
        XCTAssertTrue(blankAlone.stderr.contains("add --exercise"), blankAlone.stderr)
    }
}
