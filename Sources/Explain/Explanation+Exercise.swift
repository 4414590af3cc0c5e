/// Which answers a rendering blanks, and the key of the ones it did.
///
/// A blank is numbered in page order and written as `[?n]` (text), `\underline{?_{n}}`
/// (TeX) or a boxed `?n` (MathML); the key lists blank n with the quantity it belongs to
/// and its value, written exactly as the full page writes it, so that putting each value
/// in place of its blank gives the full page back.
struct Blanking {
    let phases: Set<Explanation.Phase>
    private(set) var answers: [Explanation.Answer] = []

    init(phases: Set<Explanation.Phase>) { self.phases = phases }

    /// The blank's number when the answer is blanked, else nil (the answer is written).
    mutating func blank(_ answer: Explanation.Answer) -> Int? {
        guard phases.contains(answer.phase) else { return nil }
        answers.append(answer)
        return answers.count
    }

    static func text(_ number: Int) -> String { "[?\(number)]" }
    static func latex(_ number: Int) -> String { "\\underline{?_{\(number)}}" }
    static func mathML(_ number: Int) -> String { "<mrow class=\"blank\"><mtext>?\(number)</mtext></mrow>" }

    /// The answer key: one row per blank.
    func key(title: String) -> Explanation {
        var key = Explanation()
        key.heading(1, "Answer key: \(title)")
        let phases = Explanation.Phase.allCases.filter(phases.contains).map(\.rawValue).joined(separator: ", ")
        key.paragraph(.text("The numbers blanked in the exercise (\(phases)), in page order. Each is rounded as the page rounds it."))
        key.table(["blank", "phase", "quantity", "answer"], answers.enumerated().map { number, answer in
            [.text(Self.text(number + 1)), .text(answer.phase.rawValue), .math(answer.quantity), .math(answer.value)]
        })
        return key
    }
}
