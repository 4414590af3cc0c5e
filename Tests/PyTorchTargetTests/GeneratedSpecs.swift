import Foundation
import TestSupport

/// Specs drawn from a fixed seed for the differential test: shapes, activations, losses,
/// optimizers and their settings, batchings, both update orders, listed and drawn weights,
/// the three kinds of bias, frozen biases, shuffles, steps or epochs, record intervals,
/// validation sets, and data listed, in a CSV file (columns or a one-hot label) or in
/// .npy files (float targets or integer labels). Short runs with moderate learning rates:
/// the two implementations round differently, and a long run in a chaotic regime would
/// amplify that past any tolerance without either being wrong.
enum GeneratedSpecs {
    struct Spec {
        var name: String
        var yaml: String
        /// Data files the spec names, relative to its folder.
        var files: [(name: String, bytes: [UInt8])]
    }

    static func spec(_ number: Int) -> Spec {
        var random = Lcg(seed: 0x5079_746F_7263_6800 &+ UInt64(number))
        /// A whole number in 0..<n.
        func pick(_ n: Int) -> Int { min(n - 1, Int((random.next() + 4) / 8 * Double(n))) }
        func chance(_ p: Double) -> Bool { (random.next() + 4) / 8 < p }
        func choose<T>(_ items: [T]) -> T { items[pick(items.count)] }
        func value(_ scale: Double) -> Double { random.next() / 4 * scale }
        func list(_ values: [Double]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }

        let name = "gen-\(number)"
        let inputs = 1 + pick(4)
        let loss = choose(["half_squared_error", "mse", "binary_cross_entropy", "cross_entropy"])
        let outputs = loss == "cross_entropy" ? 2 + pick(3) : 1 + pick(3)
        let hidden = pick(3)
        var yaml = "nnrun: 1\nname: \(name)\nseed: \(pick(1000))\nmodel:\n  inputs: \(inputs)\n  layers:\n"
        var width = inputs
        for index in 0...hidden {
            let last = index == hidden
            let units = last ? outputs : 1 + pick(5)
            let activation: String
            switch (last, loss) {
            case (true, "cross_entropy"): activation = "softmax"
            case (true, "binary_cross_entropy"): activation = "sigmoid"
            default: activation = choose(["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
            }
            var layer = "    - name: l\(index)\n      units: \(units)\n      activation: \(activation)\n"
            if activation == "leaky_relu" && chance(0.5) { layer += "      alpha: \(choose([0.1, 0.2, 0.05]))\n" }
            if chance(0.5) {
                let rows = (0..<units).map { _ in list((0..<width).map { _ in value(1) }) }
                layer += "      weights: [\(rows.joined(separator: ", "))]\n"
            } else {
                layer += "      weights: {init: \(choose(["xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "uniform", "normal"]))"
                layer += chance(0.3) ? ", seed: \(pick(100))}\n" : "}\n"
                // uniform's and normal's defaults ([0, 1) and std 1) are large for a deep net; fine for a short run.
            }
            switch pick(3) {
            case 0: break
            case 1: layer += "      bias: \(value(0.5))\n"
            default: layer += "      bias: \(list((0..<units).map { _ in value(0.5) }))\n"
            }
            yaml += layer
            width = units
        }

        let samples = 2 + pick(10)
        var files: [(name: String, bytes: [UInt8])] = []
        /// One sample's targets as the loss accepts them.
        func targets() -> [Double] {
            switch loss {
            case "cross_entropy": let hot = pick(outputs); return (0..<outputs).map { $0 == hot ? 1 : 0 }
            case "binary_cross_entropy": return (0..<outputs).map { _ in chance(0.3) ? Double(pick(2)) : (random.next() + 4) / 8 }
            default: return (0..<outputs).map { _ in value(1) }
            }
        }
        /// A data set of `count` samples in one of the three forms; `key` is data or validation.
        func dataSet(_ key: String, count: Int) -> String {
            let x = (0..<count).map { _ in (0..<inputs).map { _ in value(2) } }
            let t = (0..<count).map { _ in targets() }
            switch pick(6) {
            case 0:
                let oneHot = loss == "cross_entropy" && chance(0.5)
                let classes = (0..<outputs).map { "class\($0)" }
                var header = (0..<inputs).map { "x\($0)" } + (oneHot ? ["label"] : (0..<outputs).map { "t\($0)" })
                header.insert("unused", at: pick(header.count + 1))
                var lines = [header.joined(separator: ",")]
                for (row, targetRow) in zip(x, t) {
                    var cells: [String: String] = ["unused": "u"]
                    for (i, v) in row.enumerated() { cells["x\(i)"] = " \(v)" }
                    if oneHot {
                        cells["label"] = classes[targetRow.firstIndex(of: 1) ?? 0]
                    } else {
                        for (k, v) in targetRow.enumerated() { cells["t\(k)"] = "\(v)" }
                    }
                    lines.append(header.map { cells[$0] ?? "" }.joined(separator: ","))
                }
                files.append((name: "\(key).csv", bytes: Array((lines.joined(separator: "\r\n") + "\n").utf8)))
                var text = "  csv: \(key).csv\n  inputs: [\((0..<inputs).map { "x\($0)" }.joined(separator: ", "))]\n"
                text += oneHot ? "  one_hot: {column: label, classes: [\(classes.joined(separator: ", "))]}\n"
                               : "  targets: [\((0..<outputs).map { "t\($0)" }.joined(separator: ", "))]\n"
                return text
            case 1:
                files.append((name: "\(key)-x.npy", bytes: Npy.float64(x)))
                if loss == "cross_entropy" && chance(0.5) {
                    files.append((name: "\(key)-y.npy", bytes: Npy.labels(t.map { $0.firstIndex(of: 1) ?? 0 })))
                } else {
                    files.append((name: "\(key)-y.npy", bytes: Npy.float64(t)))
                }
                return "  npy:\n    inputs: \(key)-x.npy\n    targets: \(key)-y.npy\n"
            default:
                return zip(x, t).map { "  - {inputs: \(list($0.0)), targets: \(list($0.1))}\n" }.joined()
            }
        }
        yaml += "data:\n" + dataSet("data", count: samples)
        if chance(0.3) { yaml += "validation:\n" + dataSet("validation", count: 1 + pick(5)) }

        yaml += "training:\n  loss: \(loss)\n"
        if chance(0.6) {
            var optimizer = "{name: sgd"
            if chance(0.5) { optimizer += ", momentum: \(choose([0.5, 0.9]))" + (chance(0.5) ? ", nesterov: true" : "") }
            if chance(0.3) { optimizer += ", weight_decay: \(choose([0.001, 0.01]))" }
            yaml += "  optimizer: \(optimizer)}\n  learning_rate: \(choose([0.05, 0.1, 0.3]))\n"
        } else {
            var optimizer = "{name: adam"
            if chance(0.3) { optimizer += ", beta1: \(choose([0.8, 0.5])), beta2: \(choose([0.99, 0.9]))" }
            if chance(0.3) { optimizer += ", epsilon: \(choose([1e-6, 0.001]))" }
            if chance(0.3) { optimizer += ", weight_decay: \(choose([0.001, 0.01]))" }
            yaml += "  optimizer: \(optimizer)}\n  learning_rate: \(choose([0.001, 0.01, 0.03]))\n"
        }
        yaml += chance(0.5) ? "  steps: \(1 + pick(40))\n" : "  epochs: \(1 + pick(6))\n"
        switch pick(3) {
        case 0: break
        case 1: yaml += "  batch: \(chance(0.5) ? "online" : "full")\n"
        default: yaml += "  batch: \(1 + pick(samples))\n"
        }
        if chance(0.4) { yaml += chance(0.5) ? "  shuffle: {}\n" : "  shuffle: {seed: \(pick(1000))}\n" }
        if chance(0.5) { yaml += "  update: immediate\n" }
        if chance(0.2) { yaml += "  train_biases: false\n" }
        if chance(0.6) { yaml += "record:\n  every: \(1 + pick(7))\n" }
        return Spec(name: name, yaml: yaml, files: files)
    }
}

/// `.npy` version 1.0 files as numpy.save writes them (the header padded to 64 bytes).
enum Npy {
    static func float64(_ rows: [[Double]]) -> [UInt8] {
        file(descr: "<f8", shape: "(\(rows.count), \(rows.first?.count ?? 0))",
             data: rows.flatMap { $0 }.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    }

    static func labels(_ labels: [Int]) -> [UInt8] {
        file(descr: "<i8", shape: "(\(labels.count),)",
             data: labels.flatMap { withUnsafeBytes(of: Int64($0).littleEndian, Array.init) })
    }

    private static func file(descr: String, shape: String, data: [UInt8]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + data
    }
}
