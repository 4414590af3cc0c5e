/// `nnrun plan --format dot`: the network at the level of layers, for Graphviz
/// (`dot -Tsvg`): a node for the inputs and one per layer (units, activation, bias), an
/// edge per weight matrix labelled with its shape (out, in).
extension Plan {
    public var dotDescription: String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        var lines = ["digraph \(quoted(name)) {", "  rankdir=LR;", "  node [shape=box, style=rounded];",
                     "  inputs [label=\(quoted("inputs\n\(inputCount)"))];"]
        for (l, layer) in layers.enumerated() {
            let bias: String
            switch (layer.biasCount, layer.biasShared) {
            case (0, _): bias = "no bias"
            case (_, true): bias = "shared bias"
            default: bias = "bias per unit"
            }
            let fixed = layer.biasCount > 0 && !layer.biasTrained ? " (fixed)" : ""
            lines.append("  layer\(l) [label=\(quoted("\(layer.name)\n\(layer.units) units, \(layer.activation.rawValue)\n\(bias)\(fixed)"))];")
            let source = l == 0 ? "inputs" : "layer\(l - 1)"
            lines.append("  \(source) -> layer\(l) [label=\(quoted("W (\(layer.units), \(layer.inputCount))"))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
