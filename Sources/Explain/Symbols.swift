import Planning

/// The names explain gives units, weights and biases.
///
/// With exactly one hidden layer: the tutorial's own symbols. Inputs i1, i2, ...; hidden
/// units h1, h2, ...; outputs o1, o2, ...; weights w1, w2, ... numbered unit by unit and
/// layer by layer (w1 = hidden.weights[0][0], w2 = hidden.weights[0][1], ...); a shared
/// bias is b1 for the hidden layer and b2 for the output layer, per-unit biases are
/// b1, b2, ... numbered like the weights.
///
/// Otherwise (no hidden layer, or several): inputs i1, ...; units of hidden layer l
/// h^(l)_j (text h(l)_j); outputs o1, ...; the weight into unit j of layer l from input
/// i of that layer w^(l)_{j,i} (text w(l)_j,i); biases b^(l) (shared) or b^(l)_j.
/// Layers l count from 1 at the first layer after the inputs.
struct Symbols {
    let layers: [LayerPlan]
    private var tutorialStyle: Bool { layers.count == 2 }

    init(layers: [LayerPlan]) {
        self.layers = layers
    }

    func input(_ i: Int) -> Math { Math(latex: "i_{\(i + 1)}", text: "i\(i + 1)") }

    /// Unit `j` of layer `l` (0-based indices).
    func unit(_ l: Int, _ j: Int) -> Math {
        if l == layers.count - 1 { return Math(latex: "o_{\(j + 1)}", text: "o\(j + 1)") }
        if tutorialStyle { return Math(latex: "h_{\(j + 1)}", text: "h\(j + 1)") }
        return Math(latex: "h^{(\(l + 1))}_{\(j + 1)}", text: "h(\(l + 1))_\(j + 1)")
    }

    /// What feeds input `i` of layer `l`: a model input or a unit of the layer below.
    func source(_ l: Int, _ i: Int) -> Math { l == 0 ? input(i) : unit(l - 1, i) }

    func weight(_ l: Int, _ j: Int, _ i: Int) -> Math {
        if tutorialStyle {
            let number = layers[..<l].reduce(0) { $0 + $1.weightCount } + j * layers[l].inputCount + i + 1
            return Math(latex: "w_{\(number)}", text: "w\(number)")
        }
        return Math(latex: "w^{(\(l + 1))}_{\(j + 1),\(i + 1)}", text: "w(\(l + 1))_\(j + 1),\(i + 1)")
    }

    /// The bias of unit `j` of layer `l`, or nil without one.
    func bias(_ l: Int, _ j: Int) -> Math? {
        let layer = layers[l]
        guard layer.biasCount > 0 else { return nil }
        if tutorialStyle {
            if layer.biasShared { return Math(latex: "b_{\(l + 1)}", text: "b\(l + 1)") }
            let number = layers[..<l].reduce(0) { $0 + ($1.biasShared ? 0 : $1.biasCount) } + j + 1
            return Math(latex: "b_{\(number)}", text: "b\(number)")
        }
        if layer.biasShared { return Math(latex: "b^{(\(l + 1))}", text: "b(\(l + 1))") }
        return Math(latex: "b^{(\(l + 1))}_{\(j + 1)}", text: "b(\(l + 1))_\(j + 1)")
    }

    /// delta of unit `j` of layer `l`: dE/dnet of that unit.
    func delta(_ l: Int, _ j: Int) -> Math {
        let u = unit(l, j)
        return Math(latex: "\\delta_{\(u.latex)}", text: "delta_\(u.text)")
    }

    /// `net_{h1}`, `out_{o2}`: a quantity of a unit.
    func quantity(_ name: String, _ l: Int, _ j: Int) -> Math {
        let u = unit(l, j)
        return Math(latex: "\(name)_{\(u.latex)}", text: "\(name)_\(u.text)")
    }

    /// `out_{h1}` for hidden units, `i_1` for inputs: the value on input `i` of layer `l`.
    func sourceValue(_ l: Int, _ i: Int) -> Math { l == 0 ? input(i) : quantity("out", l - 1, i) }

    static let total = Math(latex: "E_{total}", text: "E_total")
}
