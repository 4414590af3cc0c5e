/// Renders diagnostics the way compilers do:
///
///     specs/bad.yaml:7:19: error: model.layers[0].activation: unknown activation 'sigmoud' - did you mean 'sigmoid'?
///         7 |       activation: sigmoud
///           |                   ^~~~~~~
///       fix: write 'activation: sigmoid'
///       note: 3:5: ...
public struct DiagnosticRenderer {
    public var fileName: String
    public var sourceLines: [Substring]

    public init(fileName: String, source: String) {
        self.fileName = fileName
        self.sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        var lines = ["\(fileName):\(diagnostic.summary)"]
        let lineIndex = diagnostic.location.line - 1
        if sourceLines.indices.contains(lineIndex) {
            let text = sourceLines[lineIndex].replacingTabs()
            let number = String(diagnostic.location.line)
            let gutter = String(repeating: " ", count: number.count)
            let column = max(1, diagnostic.location.column)
            let visibleLength = max(1, min(diagnostic.length, max(1, text.count - column + 1)))
            lines.append("    \(number) | \(text)")
            lines.append("    \(gutter) | " + String(repeating: " ", count: column - 1)
                + "^" + String(repeating: "~", count: visibleLength - 1))
        }
        if let fix = diagnostic.fix {
            lines.append("  fix: \(fix)")
        }
        for note in diagnostic.notes {
            lines.append("  note: \(fileName):\(note.location): \(note.message)")
        }
        return lines.joined(separator: "\n")
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
