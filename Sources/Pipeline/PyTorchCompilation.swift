import Foundation
import Planning
import PyTorchTarget
import Spec
import Sweeps
import Validation

/// `nnrun compile SPEC --target pytorch -o SCRIPT`: the spec compiled and planned like a
/// run, its data files named from the script's folder, and the script with its side files
/// written atomically (Docs/pytorch.md).
public enum PyTorchCompilation {
    /// Writes the script for the spec at `specPath` to `scriptPath`; returns the paths written.
    public static func write(spec specPath: String, overrides: [SpecOverride] = [], to scriptPath: String, memoryLimit: Int,
                             warnings: (SpecCompilation) -> Void = { _ in }) throws(PipelineFailure) -> [String] {
        let compilation = SpecCompilation(path: specPath, overrides: overrides)
        if case .valid = compilation.outcome { warnings(compilation) }
        let planned = try PlannedSpec(compilation, memoryLimit: memoryLimit)
        let scriptFolder = URL(fileURLWithPath: scriptPath).deletingLastPathComponent().standardizedFileURL.path
        let specFolder = URL(fileURLWithPath: specPath).deletingLastPathComponent().standardizedFileURL.path
        let relocate = { (path: String) in relocated(path, from: specFolder, to: scriptFolder) }
        let script = PyTorchScript(
            plan: planned.plan,
            source: .init(name: planned.spec.name, path: specPath, sha256: compilation.sha256,
                           extends: compilation.extends, overrides: overrides.map(\.description)),
            description: planned.spec.description,
            data: dataSource(compilation.spec?.data?.value, relocate, inferredClasses: planned.spec.inferredClasses),
            validation: planned.plan.validationCount > 0
                ? dataSource(compilation.spec?.validation?.value, relocate, inferredClasses: planned.spec.inferredClasses) : nil,
            scriptName: URL(fileURLWithPath: scriptPath).lastPathComponent)
        var written: [String] = []
        do {
            for file in script.sideFiles {
                let path = URL(fileURLWithPath: scriptFolder).appendingPathComponent(file.name).path
                try AtomicFile.write(file.bytes, to: path)
                written.append(path)
            }
            try AtomicFile.write(script.text, to: scriptPath)
            written.append(scriptPath)
        } catch {
            throw .unwritable(error)
        }
        return written
    }

    /// Where the script reads a data set: the spec's own CSV or `.npy` files, with the classes
    /// nnrun inferred when the spec lists none; listed in the script (the validated samples,
    /// exactly) for samples listed in the spec and for `.npz` archives, which the script
    /// would otherwise need a second reader of.
    private static func dataSource(_ entry: DataEntry?, _ relocate: (String) -> String,
                                   inferredClasses: [String]?) -> PyTorchScript.DataSource {
        switch entry {
        case .csv(let csv)?:
            let oneHot = csv.oneHot.map {
                (column: $0.column?.value ?? "", classes: $0.classes?.value.map(\.value) ?? inferredClasses ?? [])
            }
            return .csv(path: relocate(csv.path?.value ?? ""), inputs: csv.inputs?.value.map(\.value) ?? [],
                        targets: csv.targets?.value.map(\.value) ?? [], oneHot: oneHot)
        case .npy(let npy)?:
            return .npy(inputs: relocate(npy.inputs?.value ?? ""), targets: relocate(npy.targets?.value ?? ""))
        case .inline?, .npz?, nil:
            return .listed
        }
    }

    /// A data file named relative to the spec's folder (or absolute), named relative to the
    /// script's folder: the same file, wherever the script is run from. Absolute stays
    /// absolute, and so does a path whose only common folder with the script's is the root.
    static func relocated(_ path: String, from specFolder: String, to scriptFolder: String) -> String {
        if path.hasPrefix("/") { return path }
        let target = URL(fileURLWithPath: specFolder).appendingPathComponent(path).standardizedFileURL.pathComponents
        let base = URL(fileURLWithPath: scriptFolder).standardizedFileURL.pathComponents
        var common = 0
        while common < base.count, common < target.count - 1, target[common] == base[common] { common += 1 }
        // Climbing up to the root would tie the script to the folders above it: absolute then.
        if common == 1 && base.count > 1 { return target.dropFirst().reduce("") { $0 + "/" + $1 } }
        let ups = Array(repeating: "..", count: base.count - common)
        return (ups + target[common...]).joined(separator: "/")
    }
}
