import Foundation

/// A worked example as a document: headings, prose with inline math, displayed
/// equations and tables. Built once, rendered as Markdown, plain text or HTML; as an
/// exercise, with the answers of chosen phases blanked and listed in a separate key.
public struct Explanation: Sendable {
    /// The phases whose numbers an exercise can blank. The error (the loss) is part of
    /// the forward pass.
    public enum Phase: String, CaseIterable, Sendable {
        case forward, backward, update
    }

    /// The number an equation works out to: the last term of its chain.
    struct Answer: Sendable {
        /// What it is the value of: the equation's first term (`net_{h_{1}}`).
        var quantity: Math
        var value: Math
        var phase: Phase
    }

    enum Inline: Sendable {
        case text(String)
        case math(Math)
    }

    enum Block: Sendable {
        case heading(level: Int, String)
        case paragraph([Inline])
        /// `statement = answer`, or only `statement` when the equation has no answer.
        case equation(Math, answer: Answer?)
        /// A picture (an SVG document), shown by the HTML page only.
        case figure(svg: String, caption: String)
        case table(header: [String], rows: [[Inline]])
        case note([Inline])
    }

    var blocks: [Block] = []

    mutating func heading(_ level: Int, _ text: String) { blocks.append(.heading(level: level, text)) }
    mutating func paragraph(_ parts: Inline...) { blocks.append(.paragraph(parts)) }
    mutating func paragraph(_ parts: [Inline]) { blocks.append(.paragraph(parts)) }
    mutating func equation(_ math: Math) { blocks.append(.equation(math, answer: nil)) }
    /// `parts[0] = parts[1] = ... = answer`: an equation whose last term is a number an
    /// exercise may blank.
    mutating func worked(_ parts: [Math], _ phase: Phase) {
        guard parts.count >= 2, let first = parts.first, let last = parts.last else {
            parts.first.map { equation($0) }
            return
        }
        blocks.append(.equation(Math.chain(Array(parts.dropLast())), answer: Answer(quantity: first, value: last, phase: phase)))
    }
    mutating func figure(svg: String, caption: String) { blocks.append(.figure(svg: svg, caption: caption)) }
    mutating func note(_ parts: Inline...) { blocks.append(.note(parts)) }
    mutating func table(_ header: [String], _ rows: [[Inline]]) { blocks.append(.table(header: header, rows: rows)) }

    public enum Format: String, CaseIterable, Sendable {
        case markdown, text, html
    }

    public func rendered(as format: Format) -> String {
        var blanking = Blanking(phases: [])
        return rendered(as: format, blanking: &blanking)
    }

    /// The page with the answers of `phases` blanked (numbered in page order), and the key
    /// that lists them: putting each key value in place of its blank gives the full page.
    public func exercise(as format: Format, blanking phases: Set<Phase>) -> (page: String, key: String) {
        var blanking = Blanking(phases: phases)
        let page = rendered(as: format, blanking: &blanking)
        return (page, blanking.key(title: title).rendered(as: format))
    }

    private func rendered(as format: Format, blanking: inout Blanking) -> String {
        switch format {
        case .markdown: return markdown(blanking: &blanking)
        case .text: return plainText(blanking: &blanking)
        case .html: return html(blanking: &blanking)
        }
    }

    /// The first heading's text.
    var title: String {
        for case .heading(_, let text) in blocks { return text }
        return "nnrun explain"
    }

    /// GitHub-flavoured Markdown with `$...$` and `$$...$$` math.
    private func markdown(blanking: inout Blanking) -> String {
        func inline(_ parts: [Inline]) -> String {
            parts.map { part in
                switch part {
                case .text(let text): return Explanation.escapedForMarkdown(text)
                case .math(let math): return "$\(math.latex)$"
                }
            }.joined()
        }
        var chunks: [String] = []
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                chunks.append(String(repeating: "#", count: level) + " " + Explanation.escapedForMarkdown(text))
            case .paragraph(let parts):
                chunks.append(inline(parts))
            case .equation(let math, let answer):
                let result = answer.map { " = " + (blanking.blank($0).map(Blanking.latex) ?? $0.value.latex) } ?? ""
                chunks.append("$$\n\(math.latex)\(result)\n$$")
            case .figure:
                continue
            case .table(let header, let rows):
                var lines = ["| " + header.map(Explanation.escapedForMarkdown).joined(separator: " | ") + " |",
                             "|" + String(repeating: " --- |", count: header.count)]
                for row in rows { lines.append("| " + row.map { inline([$0]) }.joined(separator: " | ") + " |") }
                chunks.append(lines.joined(separator: "\n"))
            case .note(let parts):
                chunks.append("> " + inline(parts))
            }
        }
        return chunks.joined(separator: "\n\n") + "\n"
    }

    /// Prose as Markdown shows it: `$` would open math and `|` end a table cell, so both
    /// are escaped outside code spans (names from a spec may hold either).
    static func escapedForMarkdown(_ text: String) -> String {
        var escaped = "", inCode = false
        for character in text {
            if character == "`" { inCode.toggle() }
            if !inCode && (character == "$" || character == "|") { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// Plain text for a terminal: equations indented, tables aligned, prose wrapped at 88 columns.
    private func plainText(blanking: inout Blanking) -> String {
        func inline(_ parts: [Inline]) -> String {
            parts.map { part in
                switch part {
                case .text(let text): return text
                case .math(let math): return math.text
                }
            }.joined()
        }
        var chunks: [String] = []
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                let underline = level == 1 ? "=" : "-"
                chunks.append(level <= 2 ? text + "\n" + String(repeating: underline, count: text.count) : text + ":")
            case .paragraph(let parts):
                chunks.append(wrap(inline(parts), width: 88, indent: ""))
            case .equation(let math, let answer):
                let result = answer.map { " = " + (blanking.blank($0).map(Blanking.text) ?? $0.value.text) } ?? ""
                chunks.append("    " + math.text + result)
            case .figure:
                continue
            case .table(let header, let rows):
                let cells = [header] + rows.map { $0.map { inline([$0]) } }
                let widths = header.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
                let lines = cells.map { row in
                    row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                        .joined(separator: "  ").trimmingTrailingSpaces()
                }
                let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
                chunks.append((["  " + lines[0], "  " + rule] + lines.dropFirst().map { "  " + $0 }).joined(separator: "\n"))
            case .note(let parts):
                chunks.append(wrap("Note: " + inline(parts), width: 88, indent: "      "))
            }
        }
        return chunks.joined(separator: "\n\n") + "\n"
    }

    private func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent + word
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
