import Diagnostics
import YAMLSource

/// The decoding of `validation: {split, seed}`, `data.scale` and `training.early_stopping`.
extension SpecDecoder {
    /// `{split: 0.2, seed: 1}`.
    mutating func validationSplit(_ node: YAMLNode, at path: KeyPath) -> ValidationSplitEntry? {
        guard let fields = mapping(node, at: path, keys: ValidationSplitEntry.keys, what: "a validation split") else { return nil }
        var entry = ValidationSplitEntry(location: node.location)
        entry.split = fields["split"].flatMap { number($0, at: path / "split") }
        entry.seed = fields["seed"].flatMap { integer($0, at: path / "seed") }
        return entry
    }

    /// `{monitor: validation_loss, patience: 5, min_delta: 0, restore_best: true}`.
    mutating func earlyStopping(_ node: YAMLNode, at path: KeyPath) -> EarlyStoppingEntry? {
        guard let fields = mapping(node, at: path, keys: EarlyStoppingEntry.keys, what: "early_stopping") else { return nil }
        var entry = EarlyStoppingEntry(location: node.location)
        entry.monitor = fields["monitor"].flatMap { string($0, at: path / "monitor") }
        entry.patience = fields["patience"].flatMap { integer($0, at: path / "patience") }
        entry.minDelta = fields["min_delta"].flatMap { number($0, at: path / "min_delta") }
        entry.restoreBest = fields["restore_best"].flatMap { boolean($0, at: path / "restore_best") }
        return entry
    }

    /// A mapping form of `data` without its `scale:` key, which is decoded into `scale`;
    /// any other node as it is.
    mutating func withoutScale(_ node: YAMLNode, at path: KeyPath, scale: inout Located<String>?) -> YAMLNode {
        guard case .mapping(var pairs) = node.content,
              let index = pairs.firstIndex(where: { $0.key.scalarText == "scale" })
        else { return node }
        scale = string(pairs[index].value, at: path / "scale")
        pairs.remove(at: index)
        var stripped = node
        stripped.content = .mapping(pairs)
        return stripped
    }
}
