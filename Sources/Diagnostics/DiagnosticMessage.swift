/// What a diagnostic says: its identity, the sentence that names what was found and what
/// was expected, and a fix computed from the case at hand.
///
/// Each phase writes its messages in one catalogue file as static functions of this type
/// (`YAMLMessages.swift`, `SpecMessages.swift`, `ValidationMessages*.swift`,
/// `SweepMessages.swift`), in the spirit of swift-syntax's `ParserDiagnosticMessages`:
/// a call site names the rule and passes the facts (`.negativeSeed(found: -1)`), so the
/// same situation is always worded the same way.
public struct DiagnosticMessage: Hashable, Sendable {
    public var id: DiagnosticID
    public var text: String
    public var fix: String?

    public init(_ id: DiagnosticID, _ text: String, fix: String? = nil) {
        self.id = id
        self.text = text
        self.fix = fix
    }

    /// `text` followed by " - did you mean 'x'?" when there is a suggestion.
    public init(_ id: DiagnosticID, _ text: String, suggesting suggestion: String?, fix: String? = nil) {
        self.init(id, text + Suggestion.didYouMean(suggestion), fix: fix)
    }
}
