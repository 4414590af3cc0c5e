import Foundation
import TestSupport
import XCTest

/// "Bad input never crashes": every file in `Hostile/` goes through the real executable,
/// `nnrun validate FILE` and `nnrun FILE -o OUT`, and each run must end by itself (no signal,
/// no trap) within `timeLimit` of CPU time, with the documented exit status and, for an invalid spec,
/// exactly the expected diagnostics (Docs/exit-codes.md, Docs/robustness.md).
///
/// ## The corpus
///
/// - `*.yaml`: a spec (valid or not) whose expectations open the file, as in `BadSpecs/`:
///
///       # about: free text
///       # expect: LINE:COLUMN: error[NNxxxx]: KEY.PATH: MESSAGE  (what nnrun prints after "FILE:")
///       #   fix: TEXT                                        (optional, right after its expect)
///       #   note: LINE:COLUMN: TEXT                          (optional, repeatable)
///       # exit: N          `nnrun validate`'s status; default 65 with expect lines, else 0
///       # run: N [STATUS] [finite]
///                          `nnrun FILE -o OUT`'s status, the results file's "status" and, with
///                          `finite`, that every initial weight is a number. Default: 0 completed
///                          for a valid spec, 65 (and no results file) for an invalid one.
///
///   The header is every line from the top that starts with `#` (after a UTF-8 byte-order mark;
///   lines end with LF, CRLF or CR), read by `CorpusHeader` as BadSpecs' is. Any other header
///   line fails the test. LINE and COLUMN
///   count the file as it is, header included; COLUMN counts Unicode scalars.
/// - `*.template`: the same, generated at test time into a temporary folder (never commit a big
///   file): `{{repeat N TEXT}}` stands for TEXT written N times (TEXT runs to the next `}}`
///   and may hold line breaks). The expansion applies to the header lines too.
/// - Files that cannot hold a comment (binary, UTF-16, a BOM before line 1) or whose diagnostic
///   holds characters a comment cannot: listed in `Hostile/manifest.tsv`, one row per
///   diagnostic (`FILE<TAB>EXIT<TAB>DIAGNOSTIC`, with `\n`, `\e`, `\0`... escapes).
/// - `*.csv`: data files that specs of the corpus name; not cases themselves.
final class HostileInputTests: XCTestCase {
    /// The corpus may grow but must not silently shrink.
    static let minimumCorpusSize = 60
    /// Every run of nnrun on a hostile input must end within this much CPU time (user and
    /// system, the process's own): CPU time, not wall-clock time, so that a loaded machine
    /// does not fail the bound while a quadratic blow-up still does.
    static let timeLimit: TimeInterval = 10
    /// A run still going after this much wall-clock time (a hang, which uses no CPU) is ended.
    static let hangLimit: TimeInterval = 60

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Hostile")
    static let badSpecsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadSpecs")

    // MARK: The corpus

    typealias Expectation = CorpusHeader.Expectation

    struct RunExpectation: Equatable {
        var status: Int32
        /// The results file's "status"; nil when no results file may be written.
        var resultsStatus: String?
        var finiteInitialWeights = false
    }

    struct Case {
        var name: String
        var source: URL
        var isTemplate: Bool { source.pathExtension == "template" }
        var expectations: [Expectation]
        var validateStatus: Int32
        var run: RunExpectation
    }

    struct CorpusError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Every case of `folder`, or why one is malformed.
    static func corpus(in folder: URL) throws -> [Case] {
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey])
            .filter { !((try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let manifestURL = folder.appendingPathComponent("manifest.tsv")
        let listed = FileManager.default.fileExists(atPath: manifestURL.path) ? try manifest(manifestURL) : [:]
        var cases: [Case] = []
        for (name, rows) in listed.sorted(by: { $0.key < $1.key }) {
            guard files.contains(where: { $0.lastPathComponent == name }) else {
                throw CorpusError("\(manifestURL.lastPathComponent) lists \(name), which is not in \(folder.lastPathComponent)/")
            }
            cases.append(try manifestCase(name, rows: rows, source: folder.appendingPathComponent(name)))
        }
        for file in files where listed[file.lastPathComponent] == nil {
            switch file.pathExtension {
            case "yaml", "template": cases.append(try headerCase(file))
            case "csv", "md", "tsv": continue
            default: throw CorpusError("\(file.lastPathComponent) is neither a spec nor listed in manifest.tsv")
            }
        }
        return cases.sorted { $0.name < $1.name }
    }

    /// The expectations written at the top of a `.yaml` or `.template` file.
    static func headerCase(_ url: URL) throws -> Case {
        let name = url.lastPathComponent
        var bytes = [UInt8](try Data(contentsOf: url))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // Header lines are valid UTF-8 even where the file is not (its bad bytes come later).
        let text = String(decoding: bytes, as: UTF8.self)
        let header: CorpusHeader
        do {
            header = try CorpusHeader(text, name: name, directives: ["exit", "run"],
                                      transform: url.pathExtension == "template" ? expand : { $0 })
        } catch let error as CorpusHeader.ParseError {
            throw CorpusError(error.description)
        }
        var validateStatus: Int32?
        var run: RunExpectation?
        for directive in header.directives {
            func fail(_ why: String) -> CorpusError { CorpusError("\(name):\(directive.line): \(why)") }
            switch directive.key {
            case "exit":
                guard validateStatus == nil, let status = Int32(directive.value) else { throw fail("expected '# exit: N', once") }
                validateStatus = status
            default:
                let words = directive.value.split(separator: " ")
                guard run == nil, let first = words.first, let status = Int32(first), words.count <= 3 else {
                    throw fail("expected '# run: N [STATUS] [finite]', once")
                }
                let rest = words.dropFirst().map(String.init)
                run = RunExpectation(status: status, resultsStatus: rest.first { $0 != "finite" },
                                     finiteInitialWeights: rest.contains("finite"))
            }
        }
        return try makeCase(name, source: url, expectations: header.expectations, validateStatus: validateStatus, run: run)
    }

    static func makeCase(_ name: String, source: URL, expectations: [Expectation], validateStatus: Int32?,
                         run: RunExpectation?) throws -> Case {
        let status = validateStatus ?? (expectations.isEmpty ? 0 : 65)
        if status == 0 && !expectations.isEmpty { throw CorpusError("\(name): a valid spec (exit 0) cannot expect diagnostics") }
        if status == 65 && expectations.isEmpty { throw CorpusError("\(name): an invalid spec must expect at least one diagnostic") }
        let defaultRun = status == 0 ? RunExpectation(status: 0, resultsStatus: "completed")
            : RunExpectation(status: status, resultsStatus: nil)
        return Case(name: name, source: source, expectations: expectations, validateStatus: status, run: run ?? defaultRun)
    }

    /// `manifest.tsv`: rows `FILE<TAB>EXIT<TAB>DIAGNOSTIC` by file, in order.
    static func manifest(_ url: URL) throws -> [String: [(status: Int32, summary: String)]] {
        var rows: [String: [(status: Int32, summary: String)]] = [:]
        let text = try String(contentsOf: url, encoding: .utf8)
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty && !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let status = Int32(fields[1]) else {
                throw CorpusError("\(url.lastPathComponent):\(index + 1): expected FILE<TAB>EXIT<TAB>DIAGNOSTIC")
            }
            rows[String(fields[0]), default: []].append((status, try unescape(String(fields[2]))))
        }
        return rows
    }

    static func manifestCase(_ name: String, rows: [(status: Int32, summary: String)], source: URL) throws -> Case {
        guard let status = rows.first?.status, rows.allSatisfy({ $0.status == status }) else {
            throw CorpusError("manifest.tsv gives \(name) different exit statuses")
        }
        let expectations = rows.filter { !$0.summary.isEmpty }.map { Expectation(summary: $0.summary) }
        if expectations.count != rows.count && rows.count > 1 {
            throw CorpusError("manifest.tsv: \(name) has an empty DIAGNOSTIC among others")
        }
        return try makeCase(name, source: source, expectations: expectations, validateStatus: status, run: nil)
    }

    static func unescape(_ text: String) throws -> String {
        var result = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\\" else { result.unicodeScalars.append(scalar); continue }
            switch scalars.next() {
            case "n": result += "\n"
            case "r": result += "\r"
            case "t": result += "\t"
            case "e": result += "\u{1B}"
            case "a": result += "\u{07}"
            case "0": result += "\u{0}"
            case "\\": result += "\\"
            case "u":
                guard scalars.next() == "{" else { throw CorpusError("bad \\u escape in \(text)") }
                var hex = ""
                while let digit = scalars.next(), digit != "}" { hex.unicodeScalars.append(digit) }
                guard let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) else {
                    throw CorpusError("bad \\u escape in \(text)")
                }
                result.unicodeScalars.append(decoded)
            default: throw CorpusError("unknown escape in \(text)")
            }
        }
        return result
    }

    /// `{{repeat N TEXT}}` -> TEXT written N times.
    static func expand(_ template: String) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{repeat ") {
            result += rest[..<open.lowerBound]
            let body = rest[open.upperBound...]
            guard let space = body.firstIndex(of: " "), let count = Int(body[..<space]),
                  let close = body.range(of: "}}") else {
                result += rest[open.lowerBound...]
                return result
            }
            result += String(repeating: String(body[body.index(after: space)..<close.lowerBound]), count: count)
            rest = body[close.upperBound...]
        }
        return result + rest
    }

    // MARK: Running nnrun with a time limit

    /// `NnrunProcess.run`, stopped (SIGTERM, then SIGKILL) when still running after
    /// `hangLimit` seconds of wall-clock time.
    static func nnrun(_ arguments: [String], in folder: URL) throws -> NnrunProcess.Output {
        try NnrunProcess.run(arguments, in: folder, timeout: hangLimit)
    }

    // MARK: Checks

    var scratch: URL!

    override func setUpWithError() throws {
        scratch = try NnrunProcess.temporaryFolder()
    }

    override func tearDownWithError() throws {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    /// The file nnrun is given: the corpus file itself, or a template's expansion in `scratch`.
    func materialize(_ testCase: Case) throws -> URL {
        guard testCase.isTemplate else { return testCase.source }
        let template = String(decoding: try Data(contentsOf: testCase.source), as: UTF8.self)
        let url = scratch.appendingPathComponent(testCase.source.deletingPathExtension().lastPathComponent)
        try Data(Self.expand(template).utf8).write(to: url)
        return url
    }

    /// No signal, no timeout, within the time limit, the expected status.
    func checkEnded(_ outcome: NnrunProcess.Output, _ what: String, status: Int32, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(outcome.timedOut, "\(what): still running after \(Self.hangLimit) s; killed", file: file, line: line)
        if !outcome.timedOut {
            XCTAssertFalse(outcome.signalled, "\(what): killed by signal \(outcome.status) (a crash or a trap)\n\(outcome.stderr.prefix(2000))",
                           file: file, line: line)
        }
        XCTAssertLessThan(outcome.cpuSeconds, Self.timeLimit, "\(what): took \(outcome.cpuSeconds) s of CPU time", file: file, line: line)
        XCTAssertEqual(outcome.status, status, "\(what): exit status\n\(outcome.stderr.prefix(2000))", file: file, line: line)
    }

    /// `nnrun validate`: status, output, every expected diagnostic (with its fix and notes) and no other.
    func checkValidate(_ testCase: Case, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try materialize(testCase).path
        let outcome = try Self.nnrun(["validate", path], in: scratch)
        let what = "validate \(testCase.name)"
        checkEnded(outcome, what, status: testCase.validateStatus, file: file, line: line)
        guard testCase.validateStatus == 65 else {
            if testCase.validateStatus == 0 {
                XCTAssertEqual(outcome.stdout, "\(path): valid\n", what, file: file, line: line)
                XCTAssertEqual(outcome.stderr, "", what, file: file, line: line)
            }
            return
        }
        XCTAssertEqual(outcome.stdout, "", "\(what): nothing belongs on standard output", file: file, line: line)
        func printed(_ text: String) -> Bool { outcome.stderr.hasPrefix(text) || outcome.stderr.contains("\n" + text) }
        for expectation in testCase.expectations {
            XCTAssertTrue(printed("\(path):\(expectation.summary)\n"),
                          "\(what): stderr lacks\n\(expectation.summary)\n--- stderr:\n\(outcome.stderr.prefix(4000))",
                          file: file, line: line)
            if let fix = expectation.fix {
                XCTAssertTrue(printed("  fix: \(fix)\n"), "\(what): stderr lacks the fix '\(fix)'", file: file, line: line)
            }
            for note in expectation.notes {
                XCTAssertTrue(printed("  note: \(path):\(note)\n"), "\(what): stderr lacks the note '\(note)'", file: file, line: line)
            }
        }
        let count = testCase.expectations.count
        XCTAssertTrue(outcome.stderr.hasSuffix("\n\(path): \(count) error\(count == 1 ? "" : "s")\n"),
                      "\(what): expected exactly \(count) diagnostic(s)\n--- stderr:\n\(outcome.stderr.suffix(4000))",
                      file: file, line: line)
    }

    /// `nnrun FILE -o OUT`: status, and the results file (or its absence).
    func checkRun(_ testCase: Case, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try materialize(testCase).path
        let results = scratch.appendingPathComponent("results-\(UUID().uuidString)").appendingPathComponent("out.json")
        let outcome = try Self.nnrun([path, "-o", results.path], in: scratch)
        let what = "run \(testCase.name)"
        checkEnded(outcome, what, status: testCase.run.status, file: file, line: line)
        guard let expectedStatus = testCase.run.resultsStatus else {
            XCTAssertFalse(FileManager.default.fileExists(atPath: results.path), "\(what): wrote results", file: file, line: line)
            if testCase.run.status == 65 {
                XCTAssertTrue(outcome.stderr.hasSuffix("; nothing was run\n"), "\(what): \(outcome.stderr.suffix(500))",
                              file: file, line: line)
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: results.path) else {
            return XCTFail("\(what): no results file\n\(outcome.stderr.prefix(2000))", file: file, line: line)
        }
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return XCTFail("\(what): the results file is not a JSON object", file: file, line: line)
        }
        XCTAssertEqual(json["format"] as? String, "nnrun.results/1", what, file: file, line: line)
        XCTAssertEqual(json["status"] as? String, expectedStatus, what, file: file, line: line)
        if testCase.run.finiteInitialWeights {
            let layers = (json["initial"] as? [String: Any])?["layers"] as? [[String: Any]] ?? []
            XCTAssertFalse(layers.isEmpty, what, file: file, line: line)
            for layer in layers {
                let rows = layer["weights"] as? [[Any]] ?? []
                let numbers = rows.joined().filter { $0 is NSNumber }.count
                XCTAssertEqual(numbers, rows.joined().count,
                               "\(what): layer \(layer["name"] ?? "?") has initial weights that are not numbers (NaN or infinite)",
                               file: file, line: line)
            }
        }
    }

    func loadCorpus(file: StaticString = #filePath, line: UInt = #line) -> [Case] {
        do { return try Self.corpus(in: Self.folder) } catch {
            XCTFail("Hostile/ is malformed: \(error)", file: file, line: line)
            return []
        }
    }

    // MARK: Tests

    func testCorpusIsLargeWellFormedAndDistinctFromBadSpecs() throws {
        let corpus = loadCorpus()
        XCTAssertGreaterThanOrEqual(corpus.count, Self.minimumCorpusSize,
                                    "Hostile/ holds \(corpus.count) inputs; it must not shrink below \(Self.minimumCorpusSize)")
        let badSpecs = try FileManager.default.contentsOfDirectory(at: Self.badSpecsFolder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .map { try Data(contentsOf: $0) }
        for testCase in corpus where !testCase.isTemplate {
            let bytes = try Data(contentsOf: testCase.source)
            XCTAssertFalse(badSpecs.contains(bytes), "\(testCase.name) is a copy of a BadSpecs file")
            // Committed inputs stay small; big ones are templates.
            XCTAssertLessThan(bytes.count, 64 << 10, "\(testCase.name) is big; make it a .template")
        }
    }

    /// `nnrun validate FILE` on every input.
    func testValidateEndsWithTheDocumentedStatusAndDiagnostics() throws {
        for testCase in loadCorpus() {
            try checkValidate(testCase)
        }
    }

    /// `nnrun FILE -o OUT` on every input: valid ones train (or stop as diverged) and write their
    /// results; invalid ones exit 65 and write nothing.
    func testRunEndsWithTheDocumentedStatusAndResults() throws {
        for testCase in loadCorpus() {
            try checkRun(testCase)
        }
    }

    /// `/dev/null` is a file with no bytes: an empty spec (exit 65), not an unreadable one
    /// (it was once reported as "permission denied", exit 66).
    func testDevNullIsAnEmptySpec() throws {
        let outcome = try Self.nnrun(["validate", "/dev/null"], in: scratch)
        checkEnded(outcome, "validate /dev/null", status: 65)
        XCTAssertTrue(outcome.stderr.hasPrefix("/dev/null:1:1: error[NN1003]: the spec is empty; expected a mapping starting with 'nnrun: 1'\n"),
                      outcome.stderr)
    }
}
