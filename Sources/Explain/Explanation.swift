import Foundation

/// A worked example as a document: headings, prose with inline math, displayed
/// equations and tables. Built once, rendered as Markdown or as plain text.
public struct Explanation: Sendable {
    enum Inline: Sendable {
        case text(String)
        case math(Math)
    }

    enum Block: Sendable {
        case heading(level: Int, String)
        case paragraph([Inline])
        case equation(Math)
        case table(header: [String], rows: [[Inline]])
        case note([Inline])
    }

    var blocks: [Block] = []

    mutating func heading(_ level: Int, _ text: String) { blocks.append(.heading(level: level, text)) }
    mutating func paragraph(_ parts: Inline...) { blocks.append(.paragraph(parts)) }
    mutating func paragraph(_ parts: [Inline]) { blocks.append(.paragraph(parts)) }
    mutating func equation(_ math: Math) { blocks.append(.equation(math)) }
    mutating func note(_ parts: Inline...) { blocks.append(.note(parts)) }
    mutating func table(_ header: [String], _ rows: [[Inline]]) { blocks.append(.table(header: header, rows: rows)) }

    public enum Format: String, CaseIterable, Sendable {
        case markdown, text
    }

    public func rendered(as format: Format) -> String {
        switch format {
        case .markdown: return markdown()
        case .text: return plainText()
        }
    }

    /// GitHub-flavoured Markdown with `$...$` and `$$...$$` math.
    func markdown() -> String {
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
            case .equation(let math):
                chunks.append("$$\n\(math.latex)\n$$")
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
    func plainText() -> String {
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
            case .equation(let math):
                chunks.append("    " + math.text)
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
