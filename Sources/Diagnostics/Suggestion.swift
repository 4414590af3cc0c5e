/// "Did you mean" support: the valid name closest to a misspelling.
public enum Suggestion {
    /// The candidate with the smallest edit distance to `word`, if it is close enough to
    /// be a plausible typo: at most one edit per three characters (at least one edit).
    public static func closest(to word: String, in candidates: [String]) -> String? {
        // Names are short; a long word is no typo of one (and the distance would cost
        // length x length to compute).
        guard word.count <= 64 else { return nil }
        let lowered = word.lowercased()
        let limit = max(1, lowered.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates where abs(candidate.count - lowered.count) <= limit {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and
    /// transpositions of neighbours each cost 1 ("sigmoud" -> "sigmoid" is 1).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    /// " - did you mean 'sigmoid'?", or nothing without a suggestion: the one wording of
    /// every "did you mean" in nnrun's messages.
    public static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " - did you mean '\($0)'?" } ?? ""
    }

    /// `'a', 'b' or 'c'` for messages.
    public static func list(_ names: [String]) -> String {
        let quoted = names.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " or " + quoted[quoted.count - 1]
    }
}
