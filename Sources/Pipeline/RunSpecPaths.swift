import Foundation
import Sweeps
import YAMLSource

/// A sweep run's spec is written in the sweep's output folder, while the files the swept
/// spec names (data files, `extends`, `init_from`, parameter `.npy` files) are relative to
/// the swept spec's own folder. So that each run's spec means the same files where it is
/// written (and `nnrun RUN.yaml` runs alone), every relative file path in it is written
/// again relative to the output folder, in place, with the mechanism `--set` uses.
enum RunSpecPaths {
    /// The key paths of the values that name files, as `SpecOverride` writes them.
    static func filePaths(in root: YAMLNode) -> [(path: String, value: String)] {
        var found: [(String, String)] = []
        func scalar(_ node: YAMLNode?) -> String? {
            if case .scalar(let scalar)? = node?.content { return scalar.text }
            return nil
        }
        func add(_ path: String, _ node: YAMLNode?) {
            if let value = scalar(node) { found.append((path, value)) }
        }
        add("extends", child(root, "extends"))
        add("init_from", child(root, "init_from"))
        for section in ["data", "validation"] {
            let source = child(root, section)
            add("\(section).csv", child(source, "csv"))
            add("\(section).npy.inputs", child(child(source, "npy"), "inputs"))
            add("\(section).npy.targets", child(child(source, "npy"), "targets"))
            add("\(section).npz.file", child(child(source, "npz"), "file"))
        }
        if case .sequence(let layers)? = child(child(root, "model"), "layers")?.content {
            for (index, layer) in layers.enumerated() {
                add("model.layers[\(index)].weights.npy", child(child(layer, "weights"), "npy"))
                add("model.layers[\(index)].bias.npy", child(child(layer, "bias"), "npy"))
            }
        }
        return found
    }

    /// The value of `key` in a mapping (the last, as the decoder reports a duplicate).
    private static func child(_ node: YAMLNode?, _ key: String) -> YAMLNode? {
        guard case .mapping(let pairs)? = node?.content else { return nil }
        return pairs.last { pair in
            if case .scalar(let scalar) = pair.key.content { return scalar.text == key }
            return false
        }?.value
    }

    /// `text` with its relative file paths rebased from `specFolder` to `runFolder`; the
    /// text unchanged when it names none, or when one cannot be written in place (a value
    /// behind an alias: the run then fails to find the file and says which).
    static func rebased(_ text: String, from specFolder: String, to runFolder: String) -> String {
        let from = URL(fileURLWithPath: specFolder).standardizedFileURL
        let to = URL(fileURLWithPath: runFolder).standardizedFileURL
        guard from.path != to.path, case .success(let root) = YAMLLoader.load(Array(text.utf8)) else { return text }
        let overrides = filePaths(in: root).compactMap { path, value -> SpecOverride? in
            guard !value.isEmpty, !value.hasPrefix("/") else { return nil }
            let target = from.appendingPathComponent(value).standardizedFileURL
            return SpecOverride(path: path, value: quoted(relativePath(of: target, from: to)))
        }
        guard !overrides.isEmpty else { return text }
        return (try? SpecOverride.apply(overrides, to: text)) ?? text
    }

    /// The path of `target` from the folder `folder`, with `..` where needed.
    static func relativePath(of target: URL, from folder: URL) -> String {
        let targetParts = target.pathComponents, folderParts = folder.pathComponents
        var common = 0
        while common < min(targetParts.count, folderParts.count), targetParts[common] == folderParts[common] { common += 1 }
        let ups = Array(repeating: "..", count: folderParts.count - common)
        return (ups + targetParts[common...]).joined(separator: "/")
    }

    /// A YAML double-quoted scalar: read back as exactly `text`.
    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
