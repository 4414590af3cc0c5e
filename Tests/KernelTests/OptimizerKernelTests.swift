import CKernels
import TestSupport
import XCTest

/// The optimizers' vector loops give the generic loop's bits, for every setting.
/// (That the generic loop is torch's rule is pinned down in RunningTests' optimizer tests.)
final class OptimizerKernelTests: XCTestCase {
    private let vectorKernels = [NN_KERNEL_AVX2, NN_KERNEL_AVX512].filter { nn_kernel_available($0) != 0 }
    private let count = 1003   // not a multiple of 4 or 8: the scalar tails run too

    func testSgdGivesTheSameBitsWithEveryKernel() throws {
        try XCTSkipIf(vectorKernels.isEmpty, "no vector kernel on this CPU")
        for momentum in [0, 0.9] {
            for nesterov in [0, 1] {
                for weightDecay in [0, 1e-3] {
                    func update(_ kernel: nn_kernel, _ p: UnsafeMutablePointer<Double>, _ grad: UnsafePointer<Double>,
                                _ buffer: UnsafeMutablePointer<Double>, _: UnsafeMutablePointer<Double>) {
                        nn_sgd_update(kernel, p, grad, buffer, count, 0.03, momentum, weightDecay, Int32(nesterov))
                    }
                    let reference = run(NN_KERNEL_GENERIC, update)
                    for kernel in vectorKernels {
                        let bits = run(kernel, update)
                        XCTAssertEqual(differences(bits, reference), 0,
                                       "kernel \(kernel.rawValue), momentum \(momentum), nesterov \(nesterov), decay \(weightDecay)")
                    }
                }
            }
        }
    }

    func testAdamGivesTheSameBitsWithEveryKernel() throws {
        try XCTSkipIf(vectorKernels.isEmpty, "no vector kernel on this CPU")
        for weightDecay in [0, 1e-2] {
            func update(_ kernel: nn_kernel, _ p: UnsafeMutablePointer<Double>, _ grad: UnsafePointer<Double>,
                        _ m: UnsafeMutablePointer<Double>, _ v: UnsafeMutablePointer<Double>) {
                nn_adam_update(kernel, p, grad, m, v, count, 0.9, 0.999, 1e-8, weightDecay, 0.01, 0.0316)
            }
            let reference = run(NN_KERNEL_GENERIC, update)
            for kernel in vectorKernels {
                let bits = run(kernel, update)
                XCTAssertEqual(differences(bits, reference), 0, "kernel \(kernel.rawValue), decay \(weightDecay)")
            }
        }
    }

    /// How many of the numbers differ (all of them when the counts differ).
    private func differences(_ a: [UInt64], _ b: [UInt64]) -> Int {
        a.count == b.count ? zip(a, b).filter { $0 != $1 }.count : max(a.count, b.count)
    }

    /// Three updates from the same start; the bits of parameters and state after each.
    private func run(_ kernel: nn_kernel, _ update: (nn_kernel, UnsafeMutablePointer<Double>, UnsafePointer<Double>,
                                                    UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void) -> [UInt64] {
        var random = Lcg(seed: 11)
        var p = (0..<count).map { _ in random.next() }, grad = (0..<count).map { _ in random.next() / 4 }
        var m = [Double](repeating: 0, count: count), v = m
        var bits: [UInt64] = []
        for _ in 0..<3 {
            update(kernel, &p, grad, &m, &v)
            bits += (p + m + v).map(\.bitPattern)
        }
        return bits
    }
}
