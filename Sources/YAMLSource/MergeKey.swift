import Diagnostics

/// YAML 1.1's merge key, as docker-compose and GitLab CI files write it:
///
///     columns: &columns {inputs: [a, b], targets: [y]}
///     ...
///     validation:
///       csv:
///         <<: *columns
///         file: valid.csv
///
/// A plain `<<` key's value is a mapping or a list of mappings; their pairs join the
/// mapping that holds the key. A key the mapping writes itself wins over a merged one, and
/// of the merged mappings an earlier one wins over a later one
/// (https://yaml.org/type/merge.html). A quoted `"<<"` is an ordinary key.
enum MergeKey {
    /// The mappings one merge key brings in, earliest first.
    typealias Source = [[YAMLNode.Pair]]

    static func isMergeKey(_ key: YAMLNode) -> Bool {
        if case .scalar(let scalar) = key.content { return scalar.isPlain && scalar.text == "<<" }
        return false
    }

    static func sources(key: YAMLNode, value: YAMLNode) throws(Diagnostic) -> Source {
        switch value.content {
        case .mapping(let pairs):
            return [pairs]
        case .sequence(let items):
            return try items.map { item throws(Diagnostic) -> [YAMLNode.Pair] in
                guard case .mapping(let pairs) = item.content else {
                    throw Diagnostic(.mergeKeyValue(found: "a list holding " + item.kindDescription), at: item.location,
                                     length: item.length, path: .root)
                }
                return pairs
            }
        case .scalar:
            throw Diagnostic(.mergeKeyValue(found: value.kindDescription), at: value.location, length: value.length, path: .root)
        }
    }

    /// `pairs` (the mapping's own, in order), then each merged pair whose key is not yet there.
    static func merge(_ merges: [Source], into pairs: [YAMLNode.Pair]) -> [YAMLNode.Pair] {
        guard !merges.isEmpty else { return pairs }
        var result = pairs
        var keys = Set(pairs.compactMap(\.key.scalarText))
        for source in merges {
            for mapping in source {
                for pair in mapping {
                    guard let key = pair.key.scalarText else { result.append(pair); continue }
                    if keys.insert(key).inserted { result.append(pair) }
                }
            }
        }
        return result
    }
}

extension YAMLNode {
    /// A scalar's text; nil for a list or mapping.
    var scalarText: String? {
        if case .scalar(let scalar) = content { return scalar.text }
        return nil
    }
}
