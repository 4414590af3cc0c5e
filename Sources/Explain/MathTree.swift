/// A formula as a tree, read from the TeX that `Math` writes, for the HTML page's MathML.
///
/// Every formula of explain is written once, in `Math` (its TeX and its text); the HTML page
/// does not get a third hand-written form. Instead this reads back the small TeX subset
/// `Math` produces (groups, `^`, `_`, `\frac`, `\sqrt`, `\left`/`\right`, `\mathrm`,
/// `\text`, named functions, a few Greek letters and operators) into a tree and writes that
/// as MathML, which browsers render natively. A command outside the subset is kept as its
/// raw TeX (`MathTree.unknown`), so the browser test that looks for raw TeX finds it.
indirect enum MathTree: Equatable, Sendable {
    case identifier(String)
    case number(String)
    case `operator`(String)
    case text(String)
    case space(String)
    case row([MathTree])
    case fraction(MathTree, MathTree)
    case root(MathTree)
    case scripts(base: MathTree, sub: MathTree?, sup: MathTree?)
    case fenced(open: String, MathTree, close: String)
    case unknown(String)

    /// The tree of a TeX formula written by `Math`.
    static func parse(_ latex: String) -> MathTree {
        var reader = TeXReader(Array(latex))
        return .row(reader.sequence(until: nil))
    }

    /// The formula's top-level pieces between its `=` signs: `a = b = c` gives [a, b, c].
    static func chainParts(_ latex: String) -> [MathTree] {
        guard case .row(let items) = parse(latex) else { return [] }
        var parts: [MathTree] = [], current: [MathTree] = []
        for item in items {
            if item == .operator("=") {
                parts.append(.row(current))
                current = []
            } else {
                current.append(item)
            }
        }
        parts.append(.row(current))
        return parts
    }

    /// MathML Core presentation markup.
    var mathML: String {
        switch self {
        case .identifier(let name): return "<mi>\(Self.escaped(name))</mi>"
        case .number(let digits): return "<mn>\(digits)</mn>"
        case .operator(let symbol):
            let largeOperator = symbol == "\u{2211}" ? " largeop=\"true\"" : ""
            return "<mo\(largeOperator)>\(Self.escaped(symbol))</mo>"
        case .text(let text): return "<mtext>\(Self.escaped(text))</mtext>"
        case .space(let width): return "<mspace width=\"\(width)\"></mspace>"
        case .row(let items): return items.count == 1 ? items[0].mathML : "<mrow>" + items.map(\.mathML).joined() + "</mrow>"
        case .fraction(let numerator, let denominator): return "<mfrac>\(numerator.mathML)\(denominator.mathML)</mfrac>"
        case .root(let radicand): return "<msqrt>\(radicand.mathML)</msqrt>"
        case .scripts(let base, let sub?, let sup?): return "<msubsup>\(base.mathML)\(sub.mathML)\(sup.mathML)</msubsup>"
        case .scripts(let base, let sub?, nil): return "<msub>\(base.mathML)\(sub.mathML)</msub>"
        case .scripts(let base, nil, let sup?): return "<msup>\(base.mathML)\(sup.mathML)</msup>"
        case .scripts(let base, nil, nil): return base.mathML
        case .fenced(let open, let inner, let close):
            return "<mrow><mo stretchy=\"true\">\(Self.escaped(open))</mo>\(inner.mathML)<mo stretchy=\"true\">\(Self.escaped(close))</mo></mrow>"
        case .unknown(let raw): return "<merror><mtext>\(Self.escaped(raw))</mtext></merror>"
        }
    }

    static func escaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// Reads the TeX subset of `Math` character by character (see `MathTree`).
private struct TeXReader {
    private let characters: [Character]
    private var index = 0

    init(_ characters: [Character]) { self.characters = characters }

    /// Greek letters and symbols by command name.
    private static let symbols: [String: MathTree] = [
        "beta": .identifier("\u{3B2}"), "delta": .identifier("\u{3B4}"), "epsilon": .identifier("\u{3F5}"),
        "eta": .identifier("\u{3B7}"), "lambda": .identifier("\u{3BB}"), "mu": .identifier("\u{3BC}"),
        "partial": .identifier("\u{2202}"), "alpha": .identifier("\u{3B1}"), "gamma": .identifier("\u{3B3}"),
        "pi": .identifier("\u{3C0}"), "prime": .operator("\u{2032}"),
        "lfloor": .operator("\u{230A}"), "rfloor": .operator("\u{230B}"),
        "cdot": .operator("\u{22C5}"), "times": .operator("\u{D7}"), "odot": .operator("\u{2299}"),
        "rightarrow": .operator("\u{2192}"), "sum": .operator("\u{2211}"), "ldots": .operator("\u{2026}"),
        "sim": .operator("\u{223C}"), "wedge": .operator("\u{2227}"), "backslash": .operator("\\"),
        "quad": .space("1em"),
    ]
    /// Functions set upright, as TeX sets `\ln`.
    private static let functions: Set<String> = ["ln", "tanh", "max", "cos"]

    private var current: Character? { index < characters.count ? characters[index] : nil }

    /// Items up to `end` (consumed) or the end of the input.
    mutating func sequence(until end: Character?) -> [MathTree] {
        var items: [MathTree] = []
        while let character = current {
            if character == end { index += 1; return items }
            if character == "^" || character == "_" {
                index += 1
                let script = atom() ?? .row([])
                items.append(Self.attach(script, superscript: character == "^", to: items.popLast() ?? .row([])))
                continue
            }
            if isCommand("right") { return items }
            guard let item = atom() else { continue }
            // A minus that starts an operand, (-0.2) or = -0.2, is the number's sign: one
            // <mn>, set without the spaces of a binary minus.
            if item == .operator("\u{2212}"), let next = current, next.isASCII, next.isNumber, Self.startsOperand(after: items.last),
               case .number(let digits)? = atom() {
                items.append(.number("\u{2212}" + digits))
            } else {
                items.append(item)
            }
        }
        return items
    }

    /// Whether what follows `previous` starts an operand: the formula's start, or after an
    /// operator other than a closing parenthesis.
    private static func startsOperand(after previous: MathTree?) -> Bool {
        guard let previous else { return true }
        guard case .operator(let symbol) = previous else { return false }
        return symbol != ")" && symbol != "]"
    }

    /// `base^script` or `base_script`; a second script of the same kind extends the first.
    private static func attach(_ script: MathTree, superscript: Bool, to base: MathTree) -> MathTree {
        guard case .scripts(let inner, let sub, let sup) = base else {
            return superscript ? .scripts(base: base, sub: nil, sup: script) : .scripts(base: base, sub: script, sup: nil)
        }
        func extended(_ existing: MathTree?) -> MathTree { existing.map { .row([$0, script]) } ?? script }
        return superscript ? .scripts(base: inner, sub: sub, sup: extended(sup)) : .scripts(base: inner, sub: extended(sub), sup: sup)
    }

    private func isCommand(_ name: String) -> Bool {
        let word = Array("\\" + name)
        guard index + word.count <= characters.count, Array(characters[index..<index + word.count]) == word else { return false }
        let after = index + word.count
        return after == characters.count || !characters[after].isLetter
    }

    /// One item: a group, a command with its arguments, a number, a letter or an operator.
    mutating func atom() -> MathTree? {
        guard let character = current else { return nil }
        switch character {
        case "{":
            index += 1
            return .row(sequence(until: "}"))
        case "}":
            index += 1
            return .unknown("}")
        case "\\":
            return command()
        case " ":
            index += 1
            return nil
        case "0"..."9", ".":
            var digits = ""
            while let c = current, c.isASCII, c.isNumber || (c == "." && !digits.contains(".")) {
                digits.append(c)
                index += 1
            }
            return digits == "." ? .operator(".") : .number(digits)
        case "-":
            index += 1
            return .operator("\u{2212}")
        case "'":
            index += 1
            return .operator("\u{2032}")
        default:
            // A run of letters is one identifier (net, out, target), upright when longer than one.
            guard character.isLetter else {
                index += 1
                return .operator(String(character))
            }
            var name = ""
            while let c = current, c.isLetter { name.append(c); index += 1 }
            return .identifier(name)
        }
    }

    private mutating func command() -> MathTree {
        index += 1
        guard let first = current else { return .unknown("\\") }
        guard first.isLetter else {
            index += 1
            // \_ \# \{ ...: the character itself; "\ " a space.
            return first == " " ? .space("0.25em") : .identifier(String(first))
        }
        var name = ""
        while let c = current, c.isLetter { name.append(c); index += 1 }
        switch name {
        case "frac":
            let numerator = atom() ?? .row([])
            return .fraction(numerator, atom() ?? .row([]))
        case "sqrt":
            return .root(atom() ?? .row([]))
        case "mathrm":
            return .text(rawGroup())
        case "text":
            return .text(rawGroup().replacingOccurrences(of: " ", with: "\u{A0}"))
        case "left":
            let open = delimiter()
            let inner = MathTree.row(sequence(until: nil))
            guard isCommand("right") else { return .fenced(open: open, inner, close: "") }
            index += "\\right".count
            return .fenced(open: open, inner, close: delimiter())
        default:
            if Self.functions.contains(name) { return .identifier(name) }
            if let symbol = Self.symbols[name] {
                // \backslash{}, \wedge{}: the empty group that ends the command is dropped.
                if current == "{", index + 1 < characters.count, characters[index + 1] == "}" { index += 2 }
                return symbol
            }
            return .unknown("\\" + name)
        }
    }

    /// `(`, `[`, `.` (none) after `\left` or `\right`.
    private mutating func delimiter() -> String {
        guard let c = current else { return "" }
        index += 1
        return c == "." ? "" : String(c)
    }

    /// The text of a `{...}` argument with TeX's escapes undone (`\_` is `_`, `\ ` a space,
    /// `\backslash{}` a backslash), for `\mathrm` and `\text`.
    private mutating func rawGroup() -> String {
        guard current == "{" else { return "" }
        index += 1
        var text = "", depth = 0
        while let c = current {
            index += 1
            if c == "}" { if depth == 0 { break }; depth -= 1; continue }
            if c == "{" { depth += 1; continue }
            guard c == "\\", let next = current else { text.append(c); continue }
            if next.isLetter {
                var name = ""
                while let l = current, l.isLetter { name.append(l); index += 1 }
                text += ["backslash": "\\", "wedge": "^", "sim": "~"][name] ?? "\\" + name
            } else {
                text.append(next)
                index += 1
            }
        }
        return text
    }
}
