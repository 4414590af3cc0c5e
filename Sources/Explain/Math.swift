import Foundation

/// A piece of mathematics in the two forms explain writes: LaTeX for Markdown pages
/// (GitHub renders `$...$` and `$$...$$`) and plain text for terminals.
struct Math: Sendable {
    var latex: String
    var text: String

    init(latex: String, text: String) {
        self.latex = latex
        self.text = text
    }

    /// The same characters in both forms.
    init(_ plain: String) {
        self.latex = plain
        self.text = plain
    }

    /// A number as explain shows it: rounded to 9 decimals with trailing zeros dropped
    /// (the tutorial's precision), or 9 significant digits in scientific notation for
    /// magnitudes below 1e-4 or from 1e6. The results file keeps every digit.
    static func number(_ value: Double) -> Math {
        let text = format(value)
        if let e = text.firstIndex(of: "e") {
            let mantissa = text[..<e], exponent = Int(text[text.index(after: e)...]) ?? 0
            return Math(latex: "\(mantissa) \\times 10^{\(exponent)}", text: text)
        }
        return Math(text)
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let magnitude = abs(value)
        if value != 0 && (magnitude < 1e-4 || magnitude >= 1e6) {
            var text = String(format: "%.8e", value)
            // 1.23450000e-05 -> 1.2345e-05
            if let e = text.firstIndex(of: "e") {
                var mantissa = String(text[..<e])
                while mantissa.hasSuffix("0") { mantissa.removeLast() }
                if mantissa.hasSuffix(".") { mantissa.removeLast() }
                text = mantissa + text[e...]
            }
            return text
        }
        var text = String(format: "%.9f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        if text == "-0" { text = "0" }
        return text
    }

    /// A number in parentheses when negative, for use after an operator: `0.5 \cdot (-0.2)`.
    static func operand(_ value: Double) -> Math {
        let number = Math.number(value)
        return value < 0 ? Math(latex: "(\(number.latex))", text: "(\(number.text))") : number
    }

    /// A number raised to a power, parenthesized when negative or in scientific notation
    /// (`(1.5 \times 10^{-5})^{2}`: TeX refuses a second superscript on `10^{-5}`).
    static func power(_ value: Double, _ exponent: String) -> Math {
        let number = Math.number(value)
        let base = value < 0 || number.latex.contains("^") ? parenthesized(number) : number
        return Math(latex: "\(base.latex)^{\(exponent)}", text: "\(base.text)^\(exponent)")
    }

    /// `symbol` with a superscript. A symbol that already carries one (`w^{(1)}_{1,1}`) is
    /// braced first, `{w^{(1)}_{1,1}}^{+}`, since TeX, KaTeX and MathJax refuse a double
    /// superscript.
    static func superscript(_ symbol: Math, _ script: Math) -> Math {
        let base = symbol.latex.contains("^") ? "{\(symbol.latex)}" : symbol.latex
        return Math(latex: "\(base)^{\(script.latex)}", text: symbol.text + script.text)
    }

    /// A name from the spec (a layer's) inside math: upright, with TeX's special characters
    /// escaped, so that any name a spec may give renders.
    static func name(_ name: String) -> Math {
        var latex = ""
        for character in name {
            switch character {
            case "\\": latex += "\\backslash{}"
            case "_", "#", "$", "%", "&", "{", "}": latex += "\\\(character)"
            case "^": latex += "\\wedge{}"
            case "~": latex += "\\sim{}"
            case " ": latex += "\\ "
            default: latex.append(character)
            }
        }
        return Math(latex: "\\mathrm{\(latex)}", text: name)
    }

    static func + (a: Math, b: Math) -> Math { Math(latex: a.latex + b.latex, text: a.text + b.text) }

    static let times = Math(latex: " \\cdot ", text: " * ")
    static let plus = Math(" + ")
    static let minus = Math(" - ")
    static let equals = Math(" = ")

    /// a = b = c ...
    static func chain(_ parts: [Math]) -> Math { join(parts, with: .equals) }

    static func join(_ parts: [Math], with separator: Math) -> Math {
        Math(latex: parts.map(\.latex).joined(separator: separator.latex),
             text: parts.map(\.text).joined(separator: separator.text))
    }

    /// dA/dB as a fraction of partial derivatives.
    static func partial(_ numerator: Math, _ denominator: Math) -> Math {
        Math(latex: "\\frac{\\partial \(numerator.latex)}{\\partial \(denominator.latex)}",
             text: "d\(numerator.text)/d\(denominator.text)")
    }

    static func fraction(_ numerator: Math, _ denominator: Math) -> Math {
        Math(latex: "\\frac{\(numerator.latex)}{\(denominator.latex)}", text: "(\(numerator.text)) / (\(denominator.text))")
    }

    static func parenthesized(_ inner: Math) -> Math {
        Math(latex: "\\left(\(inner.latex)\\right)", text: "(\(inner.text))")
    }
}
