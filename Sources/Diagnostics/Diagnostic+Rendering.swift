/// Renders diagnostics the way compilers do:
///
///     specs/bad.yaml:7:19: error[NN3009]: model.layers[0].activation: unknown activation 'sigmoud' - did you mean 'sigmoid'?
///         7 |       activation: sigmoud
///           |                   ^~~~~~~
///       fix: write 'activation: sigmoid'
///       note: 3:5: ...
///
/// A location in a base file (`extends`) is shown with that file's name and line; one in a
/// `--set` override with the override itself in place of file, line and column. A value
/// reached through a YAML alias is shown at the alias, with a note naming the anchored text.
public struct DiagnosticRenderer {
    public var fileName: String
    public var sourceLines: [Substring]
    /// The lines of the base files the spec extends, by the name diagnostics show.
    public var baseFiles: [String: [Substring]]

    public init(fileName: String, source: String, baseFiles: [String: String] = [:]) {
        self.fileName = fileName
        self.sourceLines = Self.lines(source)
        self.baseFiles = baseFiles.mapValues(Self.lines)
    }

    private static func lines(_ source: String) -> [Substring] {
        // "\r\n" is one Character in Swift; a lone "\r" ends a line too, as in YAML.
        source.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    }

    /// `spec.yaml:7:19`, `base.yaml:3:5`, or `--set training.learning_rate=-1`.
    public func place(_ location: SourceLocation) -> String {
        let at = location.shown
        return file(of: at).map { "\($0):\(at)" } ?? at.description
    }

    /// The file a location is in; nil for an override, which names itself.
    public func file(of location: SourceLocation) -> String? {
        switch location.origin {
        case nil: return fileName
        case .file(let name): return name
        case .override: return nil
        }
    }

    /// The line a location is on, and the number shown in the gutter ("" for an override).
    private func sourceLine(_ at: SourceLocation) -> (text: Substring, number: String)? {
        let index = at.line - 1
        switch at.origin {
        case nil:
            return sourceLines.indices.contains(index) ? (sourceLines[index], String(at.line)) : nil
        case .file(let name):
            guard let lines = baseFiles[name], lines.indices.contains(index) else { return nil }
            return (lines[index], String(at.line))
        case .override(let text):
            return (Substring(text), "")
        }
    }

    /// Source lines longer than this are shown as a window around the column.
    static let maxShownWidth = 120

    public func render(_ diagnostic: Diagnostic) -> String {
        let at = diagnostic.location.shown
        var lines = [Self.printable((file(of: at).map { "\($0):" } ?? "") + diagnostic.summary)]
        if let (line, number) = sourceLine(at) {
            var text = Array(Self.printable(line.replacingTabs()))
            var column = max(1, at.column)
            // A long line (a 1 MB name, 100,000 brackets) is cut to a window around the column.
            if text.count > Self.maxShownWidth {
                let start = max(0, min(column - 1 - Self.maxShownWidth / 2, text.count - Self.maxShownWidth))
                let end = min(text.count, start + Self.maxShownWidth)
                let prefix: [Character] = start > 0 ? Array("...") : []
                let suffix: [Character] = end < text.count ? Array("...") : []
                text = prefix + Array(text[start..<end]) + suffix
                column = column - start + prefix.count
            }
            let gutter = String(repeating: " ", count: number.count)
            let visibleLength = max(1, min(diagnostic.length, max(1, text.count - column + 1)))
            lines.append("    \(number) | \(String(text))")
            lines.append("    \(gutter) | " + String(repeating: " ", count: max(0, column - 1))
                + "^" + String(repeating: "~", count: visibleLength - 1))
        }
        if let fix = diagnostic.fix {
            lines.append("  fix: " + Self.printable(fix))
        }
        if let alias = diagnostic.location.alias {
            lines.append("  note: \(place(diagnostic.location.written)): the value is written here, in the anchored value"
                + " that the alias '*\(Self.printable(alias.name))' repeats")
        }
        for note in diagnostic.notes {
            lines.append("  note: \(place(note.location)): " + Self.printable(note.message))
        }
        return lines.joined(separator: "\n")
    }

    /// Control characters from the spec (ESC, BEL, NUL, ...) are shown as `\u{1B}` so a
    /// spec cannot drive the terminal it is reported on; so are the byte-order mark (U+FEFF),
    /// invisible where a diagnostic points at it, and the line and paragraph separators
    /// (U+2028, U+2029), which some terminals break the line at.
    static func printable(_ text: some StringProtocol) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if (value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(value) || value == 0xFEFF || value == 0x2028 || value == 0x2029 {
                result += "\\u{" + String(value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }
}

extension Substring {
    /// Tabs become single spaces so the caret stays under the right character
    /// (libyaml counts a tab as one column).
    fileprivate func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}
