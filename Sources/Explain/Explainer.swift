import Planning
import Running
import Spec
import Validation

/// Writes the worked example of one training step from the numbers the runner
/// recorded: the trace of that step, the parameters before it, and the loss after it.
/// Nothing here recomputes a forward or backward value; every number shown is read
/// from the trace (explain only multiplies out the terms it displays for the sums).
public struct Explainer {
    public struct Input {
        public var specName: String
        public var plan: Plan
        /// The step's trace: activations, deltas, gradients and the parameters after it.
        public var trace: TraceStep
        /// The trace of the step before (where the optimizer's memory comes from); nil for step 1.
        public var previous: TraceStep?
        /// The parameters the step started from, layer by layer.
        public var before: [LayerParameters]
        /// Mean loss over the whole training set before the step and after its update.
        public var trainingLossBefore: Double
        public var trainingLossAfter: Double
        /// Which training sample to walk through term by term (an index into the data).
        public var sample: Int
        /// Above this many weights in a layer, the layer is shown in matrix form.
        public var maxTerms: Int

        public init(specName: String, plan: Plan, trace: TraceStep, previous: TraceStep?, before: [LayerParameters],
                    trainingLossBefore: Double, trainingLossAfter: Double, sample: Int, maxTerms: Int) {
            self.specName = specName
            self.plan = plan
            self.trace = trace
            self.previous = previous
            self.before = before
            self.trainingLossBefore = trainingLossBefore
            self.trainingLossAfter = trainingLossAfter
            self.sample = sample
            self.maxTerms = maxTerms
        }
    }

    let input: Input
    let symbols: Symbols
    /// Position of the walked sample in the step's batch.
    let row: Int
    var page = Explanation()

    var plan: Plan { input.plan }
    var trace: TraceStep { input.trace }
    var lastLayer: Int { plan.layers.count - 1 }
    var batchSize: Int { trace.samples.count }

    /// Whether the step averages several samples. Then the walked sample's own quantities
    /// carry a superscript (s) and E_s is its loss, while E_total is the step's loss, the
    /// mean over the batch, whose gradients are batch means.
    var batched: Bool { batchSize > 1 }

    /// The walked sample's loss: E_s, or E_total itself when the batch is that one sample.
    var sampleLoss: Math { batched ? Math(latex: "E_{s}", text: "E_s") : Symbols.total }

    /// A quantity of the walked sample: `delta_o1(s)` in a batch of several, else as is.
    func ofSample(_ symbol: Math) -> Math { batched ? Math.superscript(symbol, Math("(s)")) : symbol }

    /// `1/B`, the factor of a batch mean.
    var batchFactor: Math { Math(latex: "\\frac{1}{\(batchSize)}", text: "1/\(batchSize)") }

    /// Whether the numbers of every sample are written out in a batch mean's sum.
    var batchShownInFull: Bool { batchSize <= 8 }

    /// The explanation, or nil when the sample is not in the step's batch.
    public static func explain(_ input: Input) -> Explanation? {
        guard let row = input.trace.samples.firstIndex(where: { $0.index == input.sample }) else { return nil }
        var explainer = Explainer(input: input, symbols: Symbols(layers: input.plan.layers), row: row)
        explainer.write()
        return explainer.page
    }

    private mutating func write() {
        introduction()
        scalingNote()
        diagram()
        legend()
        forwardPass()
        error()
        backwardPass()
        biases()
        update()
        after()
    }

    // MARK: Values

    /// Input i of layer l for the walked sample (before the step).
    func sourceValue(_ l: Int, _ i: Int, row: Int? = nil) -> Double {
        let r = row ?? self.row
        if l == 0 { return plan.inputs[trace.samples[r].index * plan.inputCount + i] }
        return trace.layers[l - 1].out[r][i]
    }

    func target(_ k: Int, row: Int? = nil) -> Double {
        plan.targets[trace.samples[row ?? self.row].index * plan.outputCount + k]
    }

    func weightBefore(_ l: Int, _ j: Int, _ i: Int) -> Double { input.before[l].weights[j][i] }

    func biasBefore(_ l: Int, _ j: Int) -> Double? { input.before[l].bias?[j] }

    /// Whether layer l's weights are shown unit by unit (else in matrix form).
    func unitByUnit(_ l: Int) -> Bool { plan.layers[l].weightCount <= input.maxTerms }

    // MARK: Sections

    private mutating func introduction() {
        let training = plan.training
        page.heading(1, "Step \(trace.step) of '\(input.specName)', worked by hand")
        let shape = ([plan.inputCount] + plan.layers.map(\.units)).map(String.init).joined(separator: "-")
        let activations = plan.layers.map { "\($0.name): \($0.activation.rawValue)" }.joined(separator: ", ")
        page.paragraph(.text("A \(shape) network (\(activations)), loss \(training.loss.rawValue), optimizer \(training.optimizer.name) with learning rate "),
                       .math(Math.number(training.learningRate)),
                       .text(training.schedule.map { " (\($0.name.rawValue) schedule; this step's rate \(Math.format(plan.learningRate(update: trace.step))))" } ?? ""),
                       .text(", update order \(training.update.rawValue). "), .text(batchSentence),
                       .text(" Numbers are rounded to 9 decimals; the results file has every digit."))
        page.paragraph(.text("Every number here is read from the trace the runner recorded for this step (`nnrun` with `record: {trace: [\(trace.step)]}`), the same numbers the results file holds."))
    }

    /// The network with the parameters the step starts from (only the HTML page shows it).
    private mutating func diagram() {
        let values = NetworkDiagram.Values.layers(input.before, caption: "the parameters before step \(trace.step)")
        page.figure(svg: NetworkDiagram(name: input.specName, plan: plan, values: values).svg,
                    caption: "The network with the parameters step \(trace.step) starts from, named as below (nnrun draw draws it on its own).")
    }

    private var batchSentence: String {
        let indices = trace.samples.map { "#\($0.index)" }.joined(separator: ", ")
        guard batched else { return "This step uses 1 sample (\(indices)); the forward and backward passes below follow it." }
        return "This step uses \(batchSize) samples (\(indices)); the forward and backward passes below follow one of them, sample s = #\(input.sample). Its own quantities carry (s): E_s is its loss, delta(s) its deltas. The step's loss E_total is the mean of E_s over the \(batchSize) samples, so every gradient of E_total, biases included, is the mean of the samples' gradients."
    }

    private mutating func legend() {
        page.heading(2, "Symbols")
        var rows: [[Explanation.Inline]] = []
        for i in 0..<plan.inputCount {
            rows.append([.math(symbols.input(i)), .text("input \(i + 1)"), .text("data[\(input.sample)].inputs[\(i)]"),
                         .math(Math.number(sourceValue(0, i)))])
        }
        for (l, layer) in plan.layers.enumerated() {
            for j in 0..<layer.units {
                rows.append([.math(symbols.unit(l, j)), .text("unit \(j + 1) of layer '\(layer.name)'"),
                             .text("\(layer.name), unit \(j)"), .text("")])
            }
        }
        for (l, layer) in plan.layers.enumerated() where layer.weightCount <= input.maxTerms {
            for j in 0..<layer.units {
                for i in 0..<layer.inputCount {
                    rows.append([.math(symbols.weight(l, j, i)),
                                 .text("weight \(symbols.source(l, i).text) -> \(symbols.unit(l, j).text)"),
                                 .text("\(layer.name).weights[\(j)][\(i)]"),
                                 .math(Math.number(weightBefore(l, j, i)))])
                }
            }
        }
        for (l, layer) in plan.layers.enumerated() where layer.biasCount > 0 {
            let units = layer.biasShared ? [0] : Array(0..<layer.units)
            for j in units {
                guard let symbol = symbols.bias(l, j), let value = biasBefore(l, j) else { continue }
                let position = layer.biasShared ? "\(layer.name).bias (shared by its \(layer.units) units)" : "\(layer.name).bias[\(j)]"
                rows.append([.math(symbol), .text(layer.biasTrained ? "bias" : "bias (held fixed)"), .text(position),
                             .math(Math.number(value))])
            }
        }
        page.table(["symbol", "meaning", "in the spec", "value before the step"], rows)
        var rules = Set<String>()
        let lines = plan.layers.map(\.activation.derivativeRule) + [plan.training.loss.rule]
        let unique = lines.filter { rules.insert($0).inserted }
        page.paragraph(.text("Rules used: " + unique.joined(separator: "; ") + "."))
    }

    private mutating func forwardPass() {
        page.heading(2, "The forward pass")
        let inputs = (0..<plan.inputCount).map { "\(Math.format(sourceValue(0, $0)))" }.joined(separator: ", ")
        let targets = (0..<plan.outputCount).map { "\(Math.format(target($0)))" }.joined(separator: ", ")
        page.paragraph(.text("Sample #\(input.sample): inputs \(inputs), targets \(targets)."))
        for (l, layer) in plan.layers.enumerated() {
            page.heading(3, "Layer '\(layer.name)' (\(layer.activation.rawValue))")
            if unitByUnit(l) {
                for j in 0..<layer.units { forwardUnit(l, j) }
            } else {
                forwardMatrix(l)
            }
        }
    }

    /// net = sum_i w x + b written term by term, then the activation.
    private mutating func forwardUnit(_ l: Int, _ j: Int) {
        let layer = plan.layers[l]
        var symbolic: [Math] = (0..<layer.inputCount).map { symbols.weight(l, j, $0) + .times + symbols.sourceValue(l, $0) }
        var numeric: [Math] = (0..<layer.inputCount).map {
            Math.operand(weightBefore(l, j, $0)) + .times + Math.operand(sourceValue(l, $0))
        }
        if let bias = symbols.bias(l, j), let value = biasBefore(l, j) {
            symbolic.append(bias + .times + Math("1"))
            numeric.append(Math.operand(value) + .times + Math("1"))
        }
        let net = symbols.quantity("net", l, j)
        page.equation(Math.chain([net, Math.join(symbolic, with: .plus)]))
        page.worked([net, Math.join(numeric, with: .plus), Math.number(trace.layers[l].net[row][j])], .forward)
        if layer.activation == .softmax { return softmaxNote(l, j) }
        page.worked(layer.activation.valueFormula(
            net: net, out: symbols.quantity("out", l, j), netValue: trace.layers[l].net[row][j],
            outValue: trace.layers[l].out[row][j], alpha: layer.alpha), .forward)
    }

    private mutating func softmaxNote(_ l: Int, _ j: Int) {
        let nets = trace.layers[l].net[row]
        let denominator = Math.join(nets.map { Math(latex: "e^{\(Math.operand($0).latex)}", text: "e^\(Math.operand($0).text)") },
                                    with: .plus)
        page.worked([symbols.quantity("out", l, j),
                     Math.fraction(Math(latex: "e^{\(Math.operand(nets[j]).latex)}", text: "e^\(Math.operand(nets[j]).text)"),
                                   denominator),
                     Math.number(trace.layers[l].out[row][j])], .forward)
    }

    private mutating func forwardMatrix(_ l: Int) {
        let layer = plan.layers[l]
        page.paragraph(.text("Layer '\(layer.name)' has \(layer.weightCount) weights, more than --max-terms \(input.maxTerms), so it is shown per layer: "),
                       .math(Math(latex: "net = W x + b", text: "net = W x + b")),
                       .text(" with W of shape (\(layer.units), \(layer.inputCount)), then "),
                       .math(Math(latex: "out = f(net)", text: "out = f(net)")), .text("."))
        let name = Math.name(layer.name)
        page.worked([ofSample(Math(latex: "net_{\(name.latex)}", text: "net_\(name.text)")), vector(trace.layers[l].net[row])],
                    .forward)
        page.worked([ofSample(Math(latex: "out_{\(name.latex)}", text: "out_\(name.text)")), vector(trace.layers[l].out[row])],
                    .forward)
    }

    /// A vector of numbers, at most 8 shown.
    func vector(_ values: [Double]) -> Math {
        let shown = values.prefix(8).map { Math.number($0) }
        let more = values.count > 8 ? [Math(latex: "\\ldots", text: "...")] : []
        return Math(latex: "\\left[" + (shown + more).map(\.latex).joined(separator: ", ") + "\\right]",
                    text: "[" + (shown + more).map(\.text).joined(separator: ", ") + "]")
    }

    private mutating func error() {
        page.heading(2, "The error")
        let loss = plan.training.loss
        let sample = trace.samples[row]
        var terms: [Math] = []
        for k in 0..<plan.outputCount {
            let unit = symbols.unit(lastLayer, k)
            let symbol = ofSample(Math(latex: "E_{\(unit.latex)}", text: "E_\(unit.text)"))
            terms.append(symbol)
            page.worked(loss.termFormula(error: symbol, target: target(k), out: trace.layers[lastLayer].out[row][k],
                                         outputs: plan.outputCount, value: sample.outputTerms[k]), .forward)
        }
        let sum = plan.outputCount > 1
            ? [Math.join(terms, with: .plus), Math.join(sample.outputTerms.map(Math.operand), with: .plus)] : terms
        page.worked([sampleLoss] + sum + [Math.number(sample.loss)], .forward)
        if batched {
            page.paragraph(.text("The step's loss is the mean of the \(batchSize) samples' losses:"))
            let losses = batchShownInFull
                ? [batchFactor + Math(" ") + Math.parenthesized(Math.join(trace.samples.map { Math.operand($0.loss) }, with: .plus))]
                : []
            page.worked([Symbols.total, batchFactor + Math(latex: " \\sum_{s} E_{s}", text: " sum_s E_s")]
                        + losses + [Math.number(trace.loss)], .forward)
        }
    }
}
