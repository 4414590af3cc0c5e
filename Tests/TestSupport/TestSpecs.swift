/// Small specs several test targets share.
public enum TestSpecs {
    /// y = w x + b with w = 0.5, b = 0.1 and two samples, (1, 2) and (3, 1): small enough
    /// to derive every number by hand (see HandDerivationTests).
    public static let twoSampleLine = """
        nnrun: 1
        name: line
        model:
          inputs: 1
          layers:
            - {name: out, units: 1, activation: linear, weights: [[0.5]], bias: [0.1]}
        data:
          - {inputs: [1], targets: [2]}
          - {inputs: [3], targets: [1]}
        training: {loss: half_squared_error, learning_rate: 0.1, steps: 1}
        record: {trace: [1]}
        """

    /// A run that diverges: with x = 10 and learning rate 10 the output grows by a factor
    /// of about 1 + lr x^2 per step, and the loss passes Float64's range within a few steps.
    public static let divergent = """
        nnrun: 1
        name: blow-up
        model:
          inputs: 1
          layers:
            - {name: hidden, units: 2, activation: linear, weights: [[1.0], [0.5]]}
            - {name: out, units: 1, activation: linear, weights: [[1.0, 1.0]]}
        data:
          - {inputs: [10], targets: [0]}
        training: {loss: half_squared_error, learning_rate: 10, steps: 1000}
        """

    /// A relu unit whose net input is exactly 0 (1 x 0.5 - 1 x 0.5): its derivative there is
    /// a convention (PyTorch's 0), where finite differences see the average slope 1/2.
    public static let reluKink = """
        nnrun: 1
        name: kink
        model:
          inputs: 2
          layers:
            - {name: hidden, units: 1, activation: relu, weights: [[1.0, -1.0]]}
            - {name: out, units: 1, activation: linear, weights: [[2.0]]}
        data:
          - {inputs: [0.5, 0.5], targets: [1.0]}
        training: {loss: half_squared_error, learning_rate: 0.1, steps: 1}
        record: {trace: [1]}
        """
}

extension TestSpecs {
    /// `count` samples for a spec's `data:` list, one YAML line each (indented two spaces):
    /// `inputs` values drawn from `Lcg(seed:)` in [-4, 4), and a one-hot target of `classes`
    /// whose hot class is the sample's index modulo `classes`.
    public static func oneHotSamples(_ count: Int, inputs: Int, classes: Int, seed: UInt64) -> String {
        var random = Lcg(seed: seed)
        return (0..<count).map { s in
            let values = (0..<inputs).map { _ in String(random.next()) }.joined(separator: ", ")
            let targets = (0..<classes).map { $0 == s % classes ? "1" : "0" }.joined(separator: ", ")
            return "  - {inputs: [\(values)], targets: [\(targets)]}"
        }.joined(separator: "\n")
    }

    /// `inputs` inputs, a tanh hidden layer of `hidden` units and a sigmoid output layer of
    /// `outputs`, each with a trained bias per unit (format 2), one step of mse on four
    /// one-hot samples; `training` is added to the `training:` section (lines indented two
    /// spaces, e.g. `"  update: immediate"`). Parameters: the hidden weights (rows of
    /// `inputs`) and biases, then the output weights (rows of `hidden`) and biases.
    public static func twoLayer(inputs: Int, hidden: Int, outputs: Int, training: String = "") -> String {
        """
        nnrun: 2
        name: two-layer
        model:
          inputs: \(inputs)
          layers:
            - {name: hidden, units: \(hidden), activation: tanh, weights: {init: xavier_uniform, seed: 1}}
            - {name: out, units: \(outputs), activation: sigmoid, weights: {init: xavier_uniform, seed: 2}}
        data:
        \(oneHotSamples(4, inputs: inputs, classes: outputs, seed: 3))
        training:
          loss: mse
          learning_rate: 0.1
          steps: 1
        \(training)
        """
    }
}
