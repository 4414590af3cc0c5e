import Planning
import Spec

// The operations of a training step, each a forward/backward pair over the workspace.
//
// Symbols (per layer): S samples, I inputs, U units.
//   x      (S, I)  the layer's input: the model inputs or the layer below's out
//   W      (U, I)  weights, row u holds the weights into unit u
//   b      (1) or (U) or nothing
//   net    (S, U)  net[s][u] = sum_i W[u][i] x[s][i] + b[u]   (summed in input order, bias last)
//   out    (S, U)  f(net)
//   slope  (S, U)  f'(net)
//   dOut   (S, U)  dE_s/dout, E_s the loss of sample s
//   delta  (S, U)  dE_s/dnet = dOut * slope
//   dW     (U, I)  dE/dW = (1/S) sum_s delta[s][u] x[s][i], E the mean loss over the batch
//   db             (1/S) sum_s delta[s][u]; for a shared bias also summed over u
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
        case .forward(let layer): forward(layers[layer], input: input(of: layer))
        case .loss: evaluateLoss()
        case .delta(let layer): delta(layers[layer], samples: sampleCount)
        case .gradient(let layer): gradient(layers[layer], input: input(of: layer), samples: sampleCount)
        case .propagate(let layer): propagate(layers[layer], below: layers[layer - 1], samples: sampleCount)
        case .step(let layer): sgdStep(layers[layer], learningRate: learningRate)
        }
    }

    /// The layer's input x as (S, I): the model inputs for the first layer.
    @inline(__always)
    private func input(of layer: Int) -> UnsafeMutablePointer<Double> {
        layer == 0 ? inputs.baseAddress.unsafelyUnwrapped
            : out.baseAddress.unsafelyUnwrapped + layers[layer - 1].activationOffset
    }

    /// net = W x + b; out = f(net); slope = f'(net).
    private func forward(_ layer: LayerPlan, input x: UnsafeMutablePointer<Double>) {
        let I = layer.inputCount, U = layer.units
        let W = parameters.baseAddress.unsafelyUnwrapped + layer.weightOffset
        let b = parameters.baseAddress.unsafelyUnwrapped + layer.biasOffset
        let base = layer.activationOffset
        for s in 0..<sampleCount {
            for u in 0..<U {
                var sum = 0.0
                for i in 0..<I { sum += W[u * I + i] * x[s * I + i] }
                if layer.biasCount == 1 { sum += b[0] } else if layer.biasCount == U { sum += b[u] }
                let o = layer.activation.value(sum)
                let k = base + s * U + u
                net[k] = sum
                out[k] = o
                slope[k] = layer.activation.derivative(net: sum, out: o)
            }
        }
    }

    /// E_s = sum_k term(out[s][k], t[s][k]); dOut[s][k] = dterm/dout; loss = mean_s E_s.
    private func evaluateLoss() {
        guard layers.count > 0 else { return }
        let output = layers[layers.count - 1]
        let K = output.units, S = sampleCount
        var total = 0.0
        for s in 0..<S {
            var sampleTotal = 0.0
            for k in 0..<K {
                let index = output.activationOffset + s * K + k
                let o = out[index], t = targets[s * K + k]
                let term = lossFunction.term(output: o, target: t)
                outputTerms[s * K + k] = term
                sampleTotal += term
                dOut[index] = lossFunction.derivative(output: o, target: t)
            }
            sampleLoss[s] = sampleTotal
            total += sampleTotal
        }
        loss = total / Double(S)
    }

    /// delta = dOut * slope.
    private func delta(_ layer: LayerPlan, samples S: Int) {
        let range = layer.activationOffset..<(layer.activationOffset + S * layer.units)
        for k in range { delta[k] = dOut[k] * slope[k] }
    }

    /// dW[u][i] = (1/S) sum_s delta[s][u] x[s][i]; db likewise (summed over units when shared).
    private func gradient(_ layer: LayerPlan, input x: UnsafeMutablePointer<Double>, samples S: Int) {
        let I = layer.inputCount, U = layer.units
        let d = delta.baseAddress.unsafelyUnwrapped + layer.activationOffset
        let dW = gradients.baseAddress.unsafelyUnwrapped + layer.weightOffset
        let db = gradients.baseAddress.unsafelyUnwrapped + layer.biasOffset
        let count = Double(S)
        for u in 0..<U {
            for i in 0..<I {
                var sum = 0.0
                for s in 0..<S { sum += d[s * U + u] * x[s * I + i] }
                dW[u * I + i] = sum / count
            }
        }
        if layer.biasCount == 1 && layer.biasShared {
            var sum = 0.0
            for s in 0..<S { for u in 0..<U { sum += d[s * U + u] } }
            db[0] = sum / count
        } else if layer.biasCount == U {
            for u in 0..<U {
                var sum = 0.0
                for s in 0..<S { sum += d[s * U + u] }
                db[u] = sum / count
            }
        }
    }

    /// dOut of the layer below: dOut_below[s][i] = sum_u W[u][i] delta[s][u], with W as it is now.
    private func propagate(_ layer: LayerPlan, below: LayerPlan, samples S: Int) {
        let I = layer.inputCount, U = layer.units
        let W = parameters.baseAddress.unsafelyUnwrapped + layer.weightOffset
        let d = delta.baseAddress.unsafelyUnwrapped + layer.activationOffset
        let target = dOut.baseAddress.unsafelyUnwrapped + below.activationOffset
        for s in 0..<S {
            for i in 0..<I {
                var sum = 0.0
                for u in 0..<U { sum += W[u * I + i] * d[s * U + u] }
                target[s * I + i] = sum
            }
        }
    }

    /// Plain gradient descent: p -= learning rate * dE/dp, for the weights and, when
    /// trained, the bias.
    private func sgdStep(_ layer: LayerPlan, learningRate: Double) {
        let end = layer.biasTrained ? layer.biasOffset + layer.biasCount : layer.biasOffset
        for k in layer.weightOffset..<end {
            parameters[k] -= learningRate * gradients[k]
        }
    }
}
