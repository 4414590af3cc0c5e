import CKernels
import Foundation
import Planning
import Spec

// The operations of a training step, each a forward/backward pair over the workspace.
//
// Symbols (per layer): S rows (the batch, or a whole data set when evaluating),
// I inputs, U units.
//   x      (S, I)  the layer's input: the rows' inputs or the layer below's out
//   W      (U, I)  weights, row u holds the weights into unit u
//   b      (1) or (U) or nothing
//   net    (S, U)  net[s][u] = sum_i W[u][i] x[s][i] + b[u]   (bias added last)
//   out    (S, U)  f(net)
//   slope  (S, U)  f'(net); 1 for an output layer whose loss gives dE/dnet directly
//   dOut   (S, U)  dE_s/dout, E_s the loss of sample s; dE_s/dnet where slope is 1
//   delta  (S, U)  dE_s/dnet = dOut * slope
//   dW     (U, I)  dE/dW = (1/S) sum_s delta[s][u] x[s][i], E the mean loss over the batch
//   db             (1/S) sum_s delta[s][u]; for a shared bias also summed over u
//
// Every sum of products above is one fused multiply-add per term, accumulated in index
// order from +0.0 (`Workspace.multiply`), so results are the same bits whichever kernel
// or thread count computes them. Sums without products (the bias gradient) are plain
// additions in index order.
extension Workspace {
    /// Runs operations in order (a plain index loop: see `Workspace` on why not `for in`).
    func execute(_ operations: UnsafeMutableBufferPointer<Plan.Operation>) {
        var index = 0
        while index < operations.count {
            execute(operations[index])
            index += 1
        }
    }

    @inline(__always)
    func execute(_ operation: Plan.Operation) {
        switch operation {
        case .forward(let layer):
            multiplyAdds &+= rows * layers[layer].units * layers[layer].inputCount
            forward(layer, rows: 0..<rows, splits: splitsWork)
        case .loss:
            lossTerms(rows: 0..<rows)
            loss = meanSampleLoss()
        case .delta(let layer): delta(layers[layer], rows: 0..<rows)
        case .gradient(let layer): gradient(layer)
        case .propagate(let layer):
            multiplyAdds &+= rows * layers[layer].units * layers[layer].inputCount
            propagate(layer, rows: 0..<rows, splits: splitsWork)
        case .step(let layer): step(updateRanges[layer], splits: splitsWork)
        }
    }

    /// The layer's input x as (S, I): the rows' inputs for the first layer.
    @inline(__always)
    private func input(of layer: Int) -> UnsafeMutablePointer<Double> {
        layer == 0 ? rowInputs : out.baseAddress.unsafelyUnwrapped + layers[layer - 1].activationOffset
    }

    /// net = W x + b; out = f(net); slope = f'(net) for the rows in `range`. Softmax
    /// normalizes each row. Every row's values are the same bits whichever rows are
    /// computed with it (the products' chains do not depend on the rows' count). The caller
    /// counts the multiply-adds. `part` as in `multiply`, when not `splits`.
    @inline(__always)
    func forward(_ index: Int, rows range: Range<Int>, splits: Bool, part: Int = 0) {
        let layer = layers[index]
        let I = layer.inputCount, U = layer.units, rowCount = range.count
        let x = input(of: index) + range.lowerBound * I
        let W = parameters.baseAddress.unsafelyUnwrapped + layer.weightOffset
        let netBlock = net.baseAddress.unsafelyUnwrapped + layer.activationOffset + range.lowerBound * U
        if rowCount * U * I <= Int(NN_GEMM_TINY_PRODUCT) {
            // The product and the bias in one call (the same bits), then the activation.
            nn_forward_tiny(kernels.cKernel, x, W, parameters.baseAddress.unsafelyUnwrapped + layer.biasOffset,
                            layer.biasCount == 1 || layer.biasCount == U ? layer.biasCount : 0, rowCount, I, U, netBlock)
            activate(layer, rows: range, biasAdded: true)
            return
        }
        multiply(m: rowCount, n: U, k: I, MatrixOperand(base: x, rowStride: I, columnStride: 1),
                 MatrixOperand(base: W, rowStride: 1, columnStride: I), into: netBlock, ldc: U, splits: splits, part: part)
        // The bias and the activation, row by row independent: on two threads when there
        // is enough of it (each thread its half of the rows; the same bits either way).
        // From 4,096 elements for the dearer activations, from 32,768 for the piecewise-linear
        // ones, a few cycles an element (Docs/performance.md, "The rest of a step").
        let cheap = layer.activation == .relu || layer.activation == .leakyRelu || layer.activation == .linear
        if splits, rowCount >= 2, rowCount * U >= (cheap ? 1 << 15 : 1 << 12) {
            team.inTwoHalves(of: rowCount) { half in
                activate(layer, rows: (range.lowerBound + half.lowerBound)..<(range.lowerBound + half.upperBound))
            }
        } else {
            activate(layer, rows: range)
        }
    }

    /// net += b (unless `biasAdded`), then out = f(net) and slope = f'(net), for the rows in `range`.
    @inline(__always)
    private func activate(_ layer: LayerShape, rows range: Range<Int>, biasAdded: Bool = false) {
        let U = layer.units
        let b = parameters.baseAddress.unsafelyUnwrapped + layer.biasOffset
        let base = layer.activationOffset + range.lowerBound * U
        let netBlock = net.baseAddress.unsafelyUnwrapped + base
        let outBlock = out.baseAddress.unsafelyUnwrapped + base
        let slopeBlock = slope.baseAddress.unsafelyUnwrapped + base
        let count = range.count * U
        let kernel = kernels.cKernel
        if !biasAdded {
            if layer.biasCount == 1 {
                nn_add_constant(kernel, netBlock, b[0], count)
            } else if layer.biasCount == U {
                nn_add_bias(kernel, netBlock, b, range.count, U)
            }
        }
        let activation = layer.activation, alpha = layer.alpha
        if activation == .softmax {
            for s in range {
                let row = (s - range.lowerBound) * U
                softmaxSums[s] = nn_softmax(kernel, netBlock + row, outBlock + row, U)
            }
            for k in 0..<count { slopeBlock[k] = 1 }
        } else if activation == .sigmoid {
            // Vectorized; the same bits as `Activation.value` and `derivative` (see nn_sigmoid).
            nn_sigmoid(kernel, netBlock, outBlock, slopeBlock, count)
        } else if activation == .tanh {
            // Vectorized; the same bits as `Activation.value` and `derivative` (see nn_tanh).
            nn_tanh(kernel, netBlock, outBlock, slopeBlock, count)
        } else if activation == .relu {
            nn_relu(kernel, netBlock, outBlock, slopeBlock, count)         // likewise
        } else if activation == .leakyRelu {
            nn_leaky_relu(kernel, netBlock, outBlock, slopeBlock, alpha, count)
        } else {
            // linear: out = net, slope 1
            for k in 0..<count {
                outBlock[k] = netBlock[k]
                slopeBlock[k] = 1
            }
        }
    }

    /// E_s = the loss of row s, and dOut of the output layer, for the rows in `range`.
    @inline(__always)
    func lossTerms(rows range: Range<Int>) {
        guard layers.count > 0 else { return }
        let output = layers[layers.count - 1]
        let K = output.units
        for s in range {
            let row = output.activationOffset + s * K
            sampleLoss[s] = lossFunction.evaluate(
                net: net.baseAddress.unsafelyUnwrapped + row, out: out.baseAddress.unsafelyUnwrapped + row,
                targets: rowTargets + s * K, count: K, softmaxSum: softmaxSums[s],
                terms: outputTerms.baseAddress.unsafelyUnwrapped + s * K,
                dOut: dOut.baseAddress.unsafelyUnwrapped + row, slope: slope.baseAddress.unsafelyUnwrapped + row)
        }
    }

    /// mean_s E_s over the current rows, summed in row order.
    @inline(__always)
    func meanSampleLoss() -> Double {
        var total = 0.0
        for s in 0..<rows { total += sampleLoss[s] }
        return Workspace.mean(total, of: rows)
    }

    /// The loss and accuracy of the network on a whole data set, `rowCapacity` rows at a
    /// time. Rows do not interact, so every row's values are those of a single pass over
    /// the set, and the samples' losses are summed in index order across the passes: the
    /// same bits as one pass. Afterwards `loss` holds the set's mean loss; evaluating the
    /// training set also gathers its outputs into `trainingOutputs`, and when the set fits
    /// in one pass the activations hold its forward pass.
    ///
    /// accuracy: the fraction of rows classified right, argmax(out) = argmax(target) for
    /// cross_entropy (first maximum on ties); for binary_cross_entropy the fraction of
    /// output elements with (out > 0.5) = (target > 0.5); NaN for other losses.
    func evaluate(_ set: DataSet) -> (loss: Double, accuracy: Double) {
        let count = set == .training ? sampleCount : validationCount
        var total = 0.0, right = 0, start = 0
        while start < count {
            let passRows = min(rowCapacity, count - start)
            useRows(of: set, start: start, count: passRows)
            runEvaluation()
            for s in 0..<passRows { total += sampleLoss[s] }
            if classification { right += correctCount() }
            if set == .training { gatherTrainingOutputs(start: start) }
            start += passRows
        }
        loss = Workspace.mean(total, of: count)
        guard classification else { return (loss, .nan) }
        return (loss, Double(right) / Double(judgedCount(of: count)))
    }

    /// What an accuracy over `count` samples counts: rows for cross_entropy, output elements
    /// for binary_cross_entropy (see `evaluate(_:)`).
    func judgedCount(of count: Int) -> Int {
        lossFunction == .crossEntropy ? count : count * outputCount
    }

    /// Copies the output layer's activations of the current rows, training samples `start`
    /// on, into `trainingOutputs`.
    func gatherTrainingOutputs(start: Int) {
        // Indexed, not `layers.last`: a debug build's generic `last` allocates, and this runs
        // at every step (StepLoopAllocationTests).
        guard layers.count > 0 else { return }
        let from = out.baseAddress.unsafelyUnwrapped + layers[layers.count - 1].activationOffset
        let to = trainingOutputs.baseAddress.unsafelyUnwrapped + start * outputCount
        for index in 0..<(rows * outputCount) { to[index] = from[index] }
    }

    /// Rows (cross_entropy) or output elements (binary_cross_entropy) of the current rows
    /// classified right; see `evaluate(_:)`.
    private func correctCount() -> Int {
        let output = layers[layers.count - 1]
        let K = output.units
        var right = 0
        for s in 0..<rows {
            let o = out.baseAddress.unsafelyUnwrapped + output.activationOffset + s * K
            let t = rowTargets + s * K
            if lossFunction == .crossEntropy {
                var best = 0, target = 0
                for k in 1..<max(K, 1) {
                    if o[k] > o[best] { best = k }
                    if t[k] > t[target] { target = k }
                }
                if best == target { right += 1 }
            } else {
                for k in 0..<K where (o[k] > 0.5) == (t[k] > 0.5) { right += 1 }
            }
        }
        return right
    }

    /// delta = dOut * slope, for the rows in `range`.
    @inline(__always)
    func delta(_ layer: LayerShape, rows range: Range<Int>) {
        let offset = layer.activationOffset + range.lowerBound * layer.units
        nn_multiply_elements(kernels.cKernel, delta.baseAddress.unsafelyUnwrapped + offset,
                             dOut.baseAddress.unsafelyUnwrapped + offset, slope.baseAddress.unsafelyUnwrapped + offset,
                             range.count * layer.units)
    }

    /// dW[u][i] = (1/S) sum_s delta[s][u] x[s][i]; db likewise (summed over units when shared).
    @inline(__always)
    private func gradient(_ index: Int) {
        let layer = layers[index]
        multiplyAdds &+= layer.units * layer.inputCount * rows
        weightGradient(index, units: 0..<layer.units, splits: splitsWork)
        biasGradient(layer, units: 0..<layer.units)
    }

    /// The part of a layer's gradient whose parameters lie in `owned` (a range that starts
    /// and ends between weight rows or layers: `Workspace.parameterSplit`), on this thread
    /// with the scratch of `part`: the rows of dW of the units whose weights it holds, and
    /// db where it holds the biases. Each element is the same bits as in `gradient(_:)`: the
    /// same chain of terms, the same sum over the rows in row order. The caller counts the
    /// multiply-adds.
    @inline(__always)
    func gradient(_ index: Int, owning owned: Range<Int>, part: Int) {
        let layer = layers[index]
        let U = layer.units, I = layer.inputCount
        let weights = (layer.weightOffset..<(layer.weightOffset + U * I)).clamped(to: owned)
        if !weights.isEmpty {
            let units = ((weights.lowerBound - layer.weightOffset) / I)..<((weights.upperBound - layer.weightOffset) / I)
            weightGradient(index, units: units, splits: false, part: part)
        }
        let biases = (layer.biasOffset..<(layer.biasOffset + layer.biasCount)).clamped(to: owned)
        if !biases.isEmpty {
            // A shared bias is one parameter; biases per unit are held unit by unit.
            biasGradient(layer, units: layer.biasCount == 1 && layer.biasShared
                ? 0..<U : (biases.lowerBound - layer.biasOffset)..<(biases.upperBound - layer.biasOffset))
        }
    }

    /// The rows of dW of the units in `units` (see `gradient(_:)`), the product on both
    /// threads when `splits`, else on this one with the scratch of `part`.
    @inline(__always)
    private func weightGradient(_ index: Int, units: Range<Int>, splits: Bool, part: Int = 0) {
        let layer = layers[index]
        let I = layer.inputCount, U = layer.units, S = rows
        let d = delta.baseAddress.unsafelyUnwrapped + layer.activationOffset + units.lowerBound
        let dW = gradients.baseAddress.unsafelyUnwrapped + layer.weightOffset + units.lowerBound * I
        multiply(m: units.count, n: I, k: S, MatrixOperand(base: d, rowStride: 1, columnStride: U),
                 MatrixOperand(base: input(of: index), rowStride: I, columnStride: 1), into: dW, ldc: I,
                 splits: splits, part: part)
        Workspace.divide(dW, count: units.count * I, by: S, kernel: kernels.cKernel)
    }

    /// db[u] = (1/S) sum_s delta[s][u] for u in `units`; a shared bias (all units: `units`
    /// must be all of them) sums over the units too, in row order and then unit order.
    @inline(__always)
    private func biasGradient(_ layer: LayerShape, units: Range<Int>) {
        let U = layer.units, S = rows
        let d = delta.baseAddress.unsafelyUnwrapped + layer.activationOffset
        let db = gradients.baseAddress.unsafelyUnwrapped + layer.biasOffset
        if layer.biasCount == 1 && layer.biasShared {
            var sum = 0.0
            for s in 0..<S { for u in 0..<U { sum += d[s * U + u] } }
            db[0] = Workspace.mean(sum, of: S)
        } else if layer.biasCount == U, !units.isEmpty {
            // Each unit's sum over the rows in row order, all units at once: the rows are
            // read in memory order (for u, for s would stride through delta).
            for u in units { db[u] = 0 }
            nn_sum_rows(kernels.cKernel, db + units.lowerBound, d + units.lowerBound, S, units.count, U)
            Workspace.divide(db + units.lowerBound, count: units.count, by: S, kernel: kernels.cKernel)
        }
    }

    /// x[k] = x[k] / divisor for k in 0..<count, as a multiplication when the divisor is a
    /// power of two (`exactReciprocal`): several times cheaper, and batch sizes often are.
    @inline(__always)
    static func divide(_ x: UnsafeMutablePointer<Double>, count: Int, by divisor: Int, kernel: nn_kernel) {
        if let reciprocal = exactReciprocal(of: divisor) {
            if divisor != 1 { nn_scale(kernel, x, reciprocal, count) }
        } else {
            nn_divide(kernel, x, Double(divisor), count)
        }
    }

    /// sum / n, correctly rounded: a multiplication when n is a power of two
    /// (`exactReciprocal`), without a division's latency in the step's chain of operations.
    @inline(__always)
    static func mean(_ sum: Double, of n: Int) -> Double {
        if let reciprocal = exactReciprocal(of: n) { return sum * reciprocal }
        return sum / Double(n)
    }

    /// 2^-e for n = 2^e (e < 63: a normal number, made from its bits), nil for any other n.
    /// x * 2^-e and x / 2^e are both the correctly rounded value of the same real number, so
    /// they are the same bits for every x (`MeanDivisionTests`).
    @inline(__always)
    static func exactReciprocal(of n: Int) -> Double? {
        guard n > 0, n & (n - 1) == 0 else { return nil }
        return Double(bitPattern: UInt64(1023 - n.trailingZeroBitCount) << 52)
    }

    /// dOut of the layer below, for the rows in `range`: dOut_below[s][i] = sum_u W[u][i]
    /// delta[s][u], with W as it is now. The caller counts the multiply-adds; `part` as in
    /// `multiply`, when not `splits`.
    @inline(__always)
    func propagate(_ index: Int, rows range: Range<Int>, splits: Bool, part: Int = 0) {
        let layer = layers[index], below = layers[index - 1]
        let I = layer.inputCount, U = layer.units
        let W = parameters.baseAddress.unsafelyUnwrapped + layer.weightOffset
        let d = delta.baseAddress.unsafelyUnwrapped + layer.activationOffset + range.lowerBound * U
        let target = dOut.baseAddress.unsafelyUnwrapped + below.activationOffset + range.lowerBound * I
        multiply(m: range.count, n: I, k: U, MatrixOperand(base: d, rowStride: U, columnStride: 1),
                 MatrixOperand(base: W, rowStride: I, columnStride: 1), into: target, ldc: I, splits: splits, part: part)
    }

    /// The optimizer's update of a layer's weights and, when trained, its bias, or of several
    /// layers' at once (`Workspace.updateRanges`), or of a part of them; on both threads
    /// when `splits` and there are enough parameters.
    @inline(__always)
    func step(_ range: Range<Int>, splits: Bool) {
        optimizer.update(parameters: parameters, gradients: gradients, firstMoment: firstMoment,
                         secondMoment: secondMoment, gradientAverage: gradientAverage, range: range,
                         learningRate: learningRate, step: optimizerStep, kernel: kernels.cKernel,
                         team: splits ? team : nil)
    }
}
