import Diagnostics
import Foundation
import Sweeps
import YAMLSource

/// A spec and the base files it `extends`, read, loaded and merged into one node tree:
///
///     # small.yaml
///     extends: base.yaml          # relative to this file's folder
///     training: {learning_rate: 0.1}
///
/// A base may extend another (a chain); a file met twice is a cycle, refused with the
/// chain shown. Merging goes key by key: where both write a mapping, the mappings merge;
/// anything else (a list, a scalar, a mapping against a list) the extending file's value
/// replaces the base's. Every node keeps the file it was written in (`SourceLocation.origin`
/// `.file(name)` for a base), so diagnostics point into whichever file holds the line.
/// `--set` overrides are written into the text of the spec itself, before it is merged.
struct SpecComposition {
    /// A base file of the chain.
    struct Base {
        /// The path as the `extends` key wrote it.
        var written: String
        /// The path diagnostics show: the written one joined to the extending file's folder.
        var name: String
        var text: String
        var bytes: [UInt8]
    }

    /// The merged tree, `extends` keys removed.
    var root: YAMLNode
    /// The spec's text with overrides written in (nil without overrides).
    var effectiveText: String?
    /// The bases, nearest first.
    var bases: [Base] = []

    /// Files in one chain at most: far beyond any family of specs, and a bound on the work.
    static let maxChain = 32

    /// Why a composition failed, with the base files read so far (to show their lines).
    struct Failure: Error {
        var diagnostic: Diagnostic
        var bases: [Base] = []
    }

    static func load(path: String, bytes: [UInt8], overrides: [SpecOverride]) -> Result<SpecComposition, Failure> {
        var composition: SpecComposition
        if overrides.isEmpty {
            switch YAMLLoader.load(bytes) {
            case .failure(let diagnostic): return .failure(Failure(diagnostic: diagnostic))
            case .success(let root): composition = SpecComposition(root: root)
            }
        } else {
            let edited: SpecOverride.Edited
            do {
                edited = try SpecOverride.edit(SourceText.decode(bytes), with: overrides)
            } catch {
                return .failure(Failure(diagnostic: error.diagnostic))
            }
            switch YAMLLoader.load(Array(edited.text.utf8)) {
            case .failure(let diagnostic):
                var located = diagnostic
                located.location = edited.map.location(diagnostic.location)
                return .failure(Failure(diagnostic: located))
            case .success(let root):
                composition = SpecComposition(root: edited.map.relocated(root), effectiveText: edited.text)
            }
        }
        do {
            try composition.extend(path: path)
        } catch {
            return .failure(Failure(diagnostic: error, bases: composition.bases))
        }
        return .success(composition)
    }

    /// Follows the `extends` chain from the spec at `path`, merging each base under what extends it.
    private mutating func extend(path: String) throws(Diagnostic) {
        var chain = [SpecComposition.canonical(path)]
        var names = [path]
        var current = root
        var currentName = path
        var merged = root.removingKey("extends")
        while let reference = current.value(ofKey: "extends") {
            guard case .scalar(let scalar) = reference.content, !scalar.text.isEmpty else {
                throw Diagnostic(.extendsNotAPath(found: reference.kindDescription), at: reference.location, length: reference.length,
                                 path: KeyPath.root / "extends")
            }
            let name = SpecComposition.join(folderOf: currentName, scalar.text)
            let canonical = SpecComposition.canonical(name)
            if let first = chain.firstIndex(of: canonical) {
                let shown = (names[first...] + [name]).joined(separator: " -> ")
                throw Diagnostic(.extendsCycle(chain: shown), at: reference.location, length: reference.length,
                                 path: KeyPath.root / "extends")
            }
            guard chain.count < SpecComposition.maxChain else {
                throw Diagnostic(.extendsTooLong(limit: SpecComposition.maxChain), at: reference.location, length: reference.length,
                                 path: KeyPath.root / "extends")
            }
            let bytes: [UInt8]
            do {
                bytes = try InputFile.read(name, as: .spec)
            } catch {
                throw Diagnostic(.extendsUnreadable(name, reason: error.reasonText), at: reference.location, length: reference.length,
                                 path: KeyPath.root / "extends")
            }
            let base: YAMLNode
            switch YAMLLoader.load(bytes) {
            case .failure(let diagnostic):
                var located = diagnostic
                located.location.origin = .file(name)
                bases.append(Base(written: scalar.text, name: name, text: SourceText.decode(bytes), bytes: bytes))
                throw located
            case .success(let node):
                base = node.inFile(name)
            }
            bases.append(Base(written: scalar.text, name: name, text: SourceText.decode(bytes), bytes: bytes))
            merged = base.removingKey("extends").merging(merged)
            chain.append(canonical)
            names.append(name)
            current = base
            currentName = name
        }
        root = merged
    }

    /// `specs/base.yaml` for `base.yaml` extended from `specs/small.yaml`; an absolute path as it is.
    static func join(folderOf file: String, _ written: String) -> String {
        if written.hasPrefix("/") { return written }
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? written : (folder as NSString).appendingPathComponent(written)
    }

    /// The file's absolute path with symbolic links resolved: one file, however it is named.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

extension YAMLNode {
    /// The value of a top-level key of a mapping.
    func value(ofKey key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = content else { return nil }
        return pairs.first { if case .scalar(let scalar) = $0.key.content { scalar.text == key } else { false } }?.value
    }

    func removingKey(_ key: String) -> YAMLNode {
        guard case .mapping(let pairs) = content else { return self }
        var copy = self
        copy.content = .mapping(pairs.filter { if case .scalar(let scalar) = $0.key.content { scalar.text != key } else { true } })
        return copy
    }

    /// This (a base's) tree with `child` merged over it: mappings key by key, anything else replaced.
    func merging(_ child: YAMLNode) -> YAMLNode {
        guard case .mapping(let basePairs) = content, case .mapping(let childPairs) = child.content else { return child }
        func key(_ pair: YAMLNode.Pair) -> String? {
            if case .scalar(let scalar) = pair.key.content { scalar.text } else { nil }
        }
        var pairs: [YAMLNode.Pair] = []
        var used = Set<Int>()
        for pair in basePairs {
            // The child's first pair of that key; duplicates stay for the decoder to report.
            if let name = key(pair), let index = childPairs.indices.first(where: { !used.contains($0) && key(childPairs[$0]) == name }) {
                used.insert(index)
                pairs.append(.init(key: childPairs[index].key, value: pair.value.merging(childPairs[index].value)))
            } else {
                pairs.append(pair)
            }
        }
        pairs += childPairs.indices.filter { !used.contains($0) }.map { childPairs[$0] }
        var merged = child
        merged.content = .mapping(pairs)
        return merged
    }

    /// The tree with every location in file `name`.
    func inFile(_ name: String) -> YAMLNode {
        var copy = self
        copy.location.origin = .file(name)
        switch content {
        case .scalar:
            break
        case .sequence(let items):
            copy.content = .sequence(items.map { $0.inFile(name) })
        case .mapping(let pairs):
            copy.content = .mapping(pairs.map { .init(key: $0.key.inFile(name), value: $0.value.inFile(name)) })
        }
        return copy
    }
}
