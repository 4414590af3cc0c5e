/// The expectations written at the top of a corpus file (`Tests/ValidationTests/BadSpecs`,
/// `Tests/ValidationTests/Hostile`), read by one parser for both corpora:
///
///     # about: what the spec gets wrong (free text, for the reader)
///     # expect: LINE:COLUMN: error[NNxxxx]: KEY.PATH: MESSAGE   (exactly `Diagnostic.summary`)
///     #   fix: TEXT                    (optional, right after its expect, once: `Diagnostic.fix`)
///     #   note: LINE:COLUMN: TEXT      (optional, repeatable: the diagnostic's notes)
///     # KEY: VALUE                     (only for the KEYs a corpus names, e.g. Hostile's exit and run)
///
/// The header is every line from the top that starts with `#`; lines end with LF, CRLF or
/// CR. Any other line in it is an error, so a misspelled `# expect` cannot silently assert
/// nothing.
public struct CorpusHeader {
    public struct Expectation: Equatable, Sendable, CustomStringConvertible {
        public var summary: String
        /// Checked only when given.
        public var fix: String?
        /// Checked only when at least one is given.
        public var notes: [String]

        public init(summary: String, fix: String? = nil, notes: [String] = []) {
            self.summary = summary
            self.fix = fix
            self.notes = notes
        }

        /// The diagnostic ID in the summary (`NN3009` in `7:19: error[NN3009]: ...`).
        public var id: String? {
            guard let open = summary.firstIndex(of: "["), let close = summary[open...].firstIndex(of: "]") else { return nil }
            return String(summary[summary.index(after: open)..<close])
        }

        public var description: String {
            var lines = ["# expect: \(summary)"]
            if let fix { lines.append("#   fix: \(fix)") }
            for note in notes { lines.append("#   note: \(note)") }
            return lines.joined(separator: "\n")
        }
    }

    public struct Directive: Equatable, Sendable {
        public var key: String
        public var value: String
        /// 1-based line of the header, for messages.
        public var line: Int
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public var expectations: [Expectation] = []
    public var directives: [Directive] = []

    /// Reads the header of `text` (the file `name`, for messages). `directives` are the
    /// extra `# KEY: ` lines this corpus allows; `transform` rewrites each header line
    /// before it is read (Hostile's templates expand `{{repeat N TEXT}}` in them).
    public init(_ text: String, name: String, directives allowed: [String] = [],
                transform: (String) -> String = { $0 }) throws {
        for (index, rawLine) in Self.lines(of: text).enumerated() {
            guard rawLine.hasPrefix("#") else { break }
            let line = transform(rawLine)
            func fail(_ why: String) -> ParseError { ParseError("\(name):\(index + 1): \(why): \(rawLine.prefix(120))") }
            if line.hasPrefix("# about: ") {
                continue
            } else if line.hasPrefix("# expect: ") {
                expectations.append(Expectation(summary: String(line.dropFirst("# expect: ".count))))
            } else if line.hasPrefix("#   fix: ") {
                guard let last = expectations.indices.last, expectations[last].fix == nil, expectations[last].notes.isEmpty
                else { throw fail("a fix must directly follow its expect line, once") }
                expectations[last].fix = String(line.dropFirst("#   fix: ".count))
            } else if line.hasPrefix("#   note: ") {
                guard let last = expectations.indices.last else { throw fail("a note must follow an expect line") }
                expectations[last].notes.append(String(line.dropFirst("#   note: ".count)))
            } else if let key = allowed.first(where: { line.hasPrefix("# \($0): ") }) {
                directives.append(Directive(key: key, value: String(line.dropFirst("# \(key): ".count)), line: index + 1))
            } else {
                let kinds = ["about", "expect", "fix", "note"] + allowed
                throw fail("not \(kinds.dropLast().joined(separator: ", ")) or \(kinds.last ?? "") line")
            }
        }
    }

    /// Lines ending with LF, CRLF or CR.
    public static func lines(of text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousWasCR { previousWasCR = false; continue }
            previousWasCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        lines.append(String(current))
        return lines
    }
}
