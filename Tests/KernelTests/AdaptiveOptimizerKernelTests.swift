import CKernels
import TestSupport
import XCTest

/// AdamW's and RMSprop's vector loops give the generic loop's bits, for every setting, and
/// the generic loop does the operations CKernels.h states, in its order (written out here
/// in Swift, whose `*`, `+`, `/` and `squareRoot` are each one IEEE operation: no fusing).
final class AdaptiveOptimizerKernelTests: XCTestCase {
    private let vectorKernels = [NN_KERNEL_AVX2, NN_KERNEL_AVX512].filter { nn_kernel_available($0) != 0 }
    private let count = 1003   // not a multiple of 4 or 8: the scalar tails run too

    /// Parameters, gradients and the three state buffers after each of three updates, as bits.
    private struct State {
        var p, grad, m, v, a: [Double]

        init(count: Int) {
            var random = Lcg(seed: 5)
            p = (0..<count).map { _ in random.next() }
            grad = (0..<count).map { _ in random.next() / 4 }
            m = [Double](repeating: 0, count: count)
            v = m
            a = m
        }

        var bits: [UInt64] { (p + m + v + a).map(\.bitPattern) }
    }

    private typealias Update = (nn_kernel, inout State) -> Void

    private func run(_ kernel: nn_kernel, _ update: Update) -> [UInt64] {
        var state = State(count: count)
        var bits: [UInt64] = []
        for step in 0..<3 {
            update(kernel, &state)
            bits += state.bits
            // A new gradient for the next update, the same for every kernel.
            state.grad = state.grad.map { $0 * 0.5 + Double(step) * 0.01 }
        }
        return bits
    }

    private func adamw(decay: Double) -> Update {
        let n = count
        return { kernel, s in
            nn_adamw_update(kernel, &s.p, s.grad, &s.m, &s.v, n, 0.9, 0.999, 1e-8, decay, 0.01, 0.0316)
        }
    }

    private func rmsprop(weightDecay: Double, momentum: Double, centered: Bool) -> Update {
        let n = count
        return { kernel, s in
            nn_rmsprop_update(kernel, &s.p, s.grad, &s.v, &s.a, &s.m, n, 0.01, 0.99, 1e-8, weightDecay, momentum,
                              centered ? 1 : 0)
        }
    }

    func testAdamWGivesTheSameBitsWithEveryKernel() throws {
        try XCTSkipIf(vectorKernels.isEmpty, "no vector kernel on this CPU")
        for decay in [1.0, 1 - 0.01 * 0.01] {
            let reference = run(NN_KERNEL_GENERIC, adamw(decay: decay))
            for kernel in vectorKernels {
                XCTAssertEqual(run(kernel, adamw(decay: decay)), reference, "kernel \(kernel.rawValue), decay factor \(decay)")
            }
        }
    }

    func testRMSpropGivesTheSameBitsWithEveryKernel() throws {
        try XCTSkipIf(vectorKernels.isEmpty, "no vector kernel on this CPU")
        for weightDecay in [0, 1e-2] {
            for momentum in [0, 0.9] {
                for centered in [false, true] {
                    let update = rmsprop(weightDecay: weightDecay, momentum: momentum, centered: centered)
                    let reference = run(NN_KERNEL_GENERIC, update)
                    for kernel in vectorKernels {
                        XCTAssertEqual(run(kernel, update), reference,
                                       "kernel \(kernel.rawValue), decay \(weightDecay), momentum \(momentum), centered \(centered)")
                    }
                }
            }
        }
    }

    func testAdamWDoesTheStatedOperationsInOrder() {
        let (beta1, beta2, epsilon, decay, stepSize, root2) = (0.9, 0.999, 1e-8, 0.9999, 0.01, 0.0316)
        var expected = State(count: count)
        for k in 0..<count {
            let g = expected.grad[k]
            let q = expected.p[k] * decay
            expected.m[k] = beta1 * expected.m[k] + (1 - beta1) * g
            expected.v[k] = beta2 * expected.v[k] + ((1 - beta2) * g) * g
            expected.p[k] = q - stepSize * (expected.m[k] / (expected.v[k].squareRoot() / root2 + epsilon))
        }
        var state = State(count: count)
        nn_adamw_update(NN_KERNEL_GENERIC, &state.p, state.grad, &state.m, &state.v, count, beta1, beta2, epsilon, decay,
                        stepSize, root2)
        XCTAssertEqual(state.bits, expected.bits)
    }

    func testRMSpropDoesTheStatedOperationsInOrder() {
        let (lr, alpha, epsilon, weightDecay, momentum) = (0.01, 0.99, 1e-8, 1e-2, 0.9)
        for centered in [false, true] {
            var expected = State(count: count)
            for _ in 0..<2 {
                for k in 0..<count {
                    let g = expected.grad[k] + weightDecay * expected.p[k]
                    expected.v[k] = alpha * expected.v[k] + ((1 - alpha) * g) * g
                    let d: Double
                    if centered {
                        expected.a[k] = alpha * expected.a[k] + (1 - alpha) * g
                        d = (expected.v[k] - expected.a[k] * expected.a[k]).squareRoot() + epsilon
                    } else {
                        d = expected.v[k].squareRoot() + epsilon
                    }
                    expected.m[k] = momentum * expected.m[k] + g / d
                    expected.p[k] = expected.p[k] - lr * expected.m[k]
                }
            }
            var state = State(count: count)
            for _ in 0..<2 {
                nn_rmsprop_update(NN_KERNEL_GENERIC, &state.p, state.grad, &state.v, &state.a, &state.m, count, lr, alpha,
                                  epsilon, weightDecay, momentum, centered ? 1 : 0)
            }
            XCTAssertEqual(state.bits, expected.bits, "centered \(centered)")
        }
    }
}
