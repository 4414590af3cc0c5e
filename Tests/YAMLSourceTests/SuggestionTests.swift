import Diagnostics
import Testing

/// "Did you mean": edit distances worked out by hand, and which names are close enough.
struct SuggestionTests {
    @Test("optimal string alignment distance", arguments: [
        ("sigmoud", "sigmoid", 1),        // one substitution
        ("sigmiod", "sigmoid", 1),        // one transposition of neighbours
        ("relu", "leaky_relu", 6),        // six insertions
        ("", "tanh", 4),
        ("mse", "mse", 0),
        ("learning_rte", "learning_rate", 1),
    ])
    func distance(_ a: String, _ b: String, _ expected: Int) {
        #expect(Suggestion.editDistance(a, b) == expected)
    }

    @Test func suggestsOnlyPlausibleTypos() {
        let activations = ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]
        #expect(Suggestion.closest(to: "sigmoud", in: activations) == "sigmoid")
        #expect(Suggestion.closest(to: "Tanh", in: activations) == "tanh")       // case is ignored
        #expect(Suggestion.closest(to: "gelu", in: activations) == "relu")       // 1 edit in 4 characters
        #expect(Suggestion.closest(to: "swish", in: activations) == nil)        // nothing within 5/3 edits
    }

    @Test func listsNamesTheWayMessagesDo() {
        #expect(Suggestion.list(["a"]) == "'a'")
        #expect(Suggestion.list(["a", "b", "c"]) == "'a', 'b' or 'c'")
    }
}
