/// The HTML page: one self-contained file (no script, no font, no request), every formula
/// in MathML, the network's picture inline, a table of contents of the page's sections
/// (the forward pass, the error, the backward pass, the update), readable at 400 px wide,
/// printed, and in light and dark.
extension Explanation {
    func html(blanking: inout Blanking) -> String {
        var body: [String] = []
        var ids = HeadingIDs()
        let sections = blocks.compactMap { block -> String? in
            guard case .heading(2, let text) = block else { return nil }
            return text
        }
        var tocIDs = HeadingIDs()
        let toc = sections.map { "<li><a href=\"#\(tocIDs.next(for: $0))\">\(Self.prose($0))</a></li>" }.joined()
        var tocWritten = false
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                let id = ids.next(for: text)
                if level == 2 && !tocWritten && !toc.isEmpty {
                    body.append("<nav class=\"toc\" aria-label=\"Contents\"><h2>Contents</h2><ol>\(toc)</ol></nav>")
                    tocWritten = true
                }
                body.append("<h\(level) id=\"\(id)\">\(Self.prose(text))</h\(level)>")
            case .paragraph(let parts):
                body.append("<p>\(Self.inline(parts))</p>")
            case .note(let parts):
                body.append("<p class=\"note\"><strong>Note:</strong> \(Self.inline(parts))</p>")
            case .equation(let math, let answer):
                var parts = MathTree.chainParts(math.latex).map(\.mathML)
                if let answer {
                    parts.append(blanking.blank(answer).map(Blanking.mathML) ?? MathTree.parse(answer.value.latex).mathML)
                }
                body.append("<div class=\"equation\">\(Self.displayed(parts))</div>")
            case .table(let header, let rows):
                let head = "<tr>" + header.map { "<th>\(Self.prose($0))</th>" }.joined() + "</tr>"
                let cells = rows.map { "<tr>" + $0.map { "<td>\(Self.inline([$0]))</td>" }.joined() + "</tr>" }.joined()
                body.append("<div class=\"table\"><table><thead>\(head)</thead><tbody>\(cells)</tbody></table></div>")
            case .figure(let svg, let caption):
                body.append("<figure>\(svg)<figcaption>\(Self.prose(caption))</figcaption></figure>")
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="nnrun explain">
            <title>\(Self.prose(title))</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            <main>
            \(body.joined(separator: "\n"))
            </main>
            </body>
            </html>

            """
    }

    /// A displayed chain `a = b = c`: one row per `=`, so that a long chain stays narrow; in
    /// display style but inline, so that it starts at the left margin like the prose.
    private static func displayed(_ parts: [String]) -> String {
        guard parts.count > 1 else { return "<math displaystyle=\"true\">\(parts.first ?? "")</math>" }
        let rows = parts.dropFirst().enumerated().map { index, part in
            "<mtr><mtd>\(index == 0 ? parts[0] : "")</mtd><mtd><mo>=</mo>\(part)</mtd></mtr>"
        }
        return "<math displaystyle=\"true\"><mtable>\(rows.joined())</mtable></math>"
    }

    private static func inline(_ parts: [Inline]) -> String {
        parts.map { part in
            switch part {
            case .text(let text): return prose(text)
            case .math(let math): return "<math>\(MathTree.parse(math.latex).mathML)</math>"
            }
        }.joined()
    }

    /// Prose, escaped, with `code` spans as <code>.
    static func prose(_ text: String) -> String {
        var html = "", inCode = false
        for character in text {
            if character == "`" {
                html += inCode ? "</code>" : "<code>"
                inCode.toggle()
                continue
            }
            html += MathTree.escaped(String(character))
        }
        return inCode ? html + "</code>" : html
    }

    /// Light and dark by the reader's preference; printed always dark on white, without
    /// the contents and with equations, tables and the figure kept whole.
    static let style = """
        :root { color-scheme: light dark; --fg: #1b1b1b; --bg: #ffffff; --muted: #5a5a5a; --rule: #d4d4d4; --accent: #0a58a8; --blank: #fff2b8; --code: #f2f2f2; }
        @media (prefers-color-scheme: dark) {
          :root { --fg: #e8e8e8; --bg: #16181c; --muted: #a6a6a6; --rule: #3b3f46; --accent: #80bbff; --blank: #574a12; --code: #262a30; }
        }
        html { background: var(--bg); color: var(--fg); }
        body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main { max-width: 50rem; margin: 0 auto; padding: 0.75rem 1rem 3rem; }
        h1 { font-size: 1.45rem; line-height: 1.25; }
        h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid var(--rule); }
        h3 { font-size: 1.05rem; }
        h1, h2, h3, p, li, figcaption { overflow-wrap: anywhere; }
        td, th { overflow-wrap: break-word; }
        a { color: var(--accent); }
        code { background: var(--code); padding: 0 0.2em; border-radius: 3px; font-size: 0.92em; }
        .note { border-left: 3px solid var(--accent); padding-left: 0.75rem; color: var(--muted); }
        .equation { overflow-x: auto; margin: 0.4rem 0; }
        math { font-size: 1.05em; }
        mtd { text-align: left; padding: 0.1em 0; }
        mtd:first-child { text-align: right; }
        .blank { border: 1px solid currentColor; background: var(--blank); padding: 0 0.35em; }
        .table { overflow-x: auto; }
        table { border-collapse: collapse; margin: 0.5rem 0; }
        th, td { border-bottom: 1px solid var(--rule); padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
        @media (max-width: 30rem) {
          table { font-size: 0.85rem; }
          th, td { padding: 0.2rem 0.3rem; }
        }
        figure { margin: 1rem 0; }
        figure svg { display: block; width: 100%; height: auto; max-height: 85vh; }
        figcaption { color: var(--muted); font-size: 0.9rem; }
        nav.toc { border: 1px solid var(--rule); padding: 0 1rem; margin: 1rem 0; }
        nav.toc h2 { border: none; margin-top: 0.75rem; font-size: 1rem; }
        @media print {
          :root { --fg: #000000; --bg: #ffffff; --muted: #333333; --rule: #999999; --accent: #000000; --blank: #ffffff; --code: #ffffff; }
          nav.toc { display: none; }
          main { max-width: none; padding: 0; }
          .equation, .table { overflow: visible; }
          .equation, figure, tr, h2, h3 { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
        }
        """
}

/// Anchors for headings: the text in lowercase with runs of other characters as `-`,
/// numbered from the second use on (`layer-hidden-2`).
private struct HeadingIDs {
    private var used: [String: Int] = [:]

    mutating func next(for text: String) -> String {
        var slug = "", dash = false
        for character in text.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                if dash && !slug.isEmpty { slug.append("-") }
                slug.append(character)
                dash = false
            } else {
                dash = true
            }
        }
        if slug.isEmpty { slug = "section" }
        let count = (used[slug] ?? 0) + 1
        used[slug] = count
        return count == 1 ? slug : "\(slug)-\(count)"
    }
}
