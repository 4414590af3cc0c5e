import Diagnostics
import YAMLSource

/// `nnrun upgrade`: a format 1 spec rewritten as format 2 with the same meaning, by the
/// writing in place that sweeps and overrides use (`SpecText`), so comments, blank lines,
/// quoting and layout stay as written.
///
/// Format 2 changes the meaning of exactly one thing a valid format 1 spec writes: an
/// omitted `bias`, no bias in format 1, is a trained zero per unit in format 2. (Format 1
/// requires every layer's `name` and `weights`, so format 2's defaults for them never
/// apply.) So the upgrade writes `nnrun: 2` over `nnrun: 1` and adds `bias: none` to every
/// layer that writes no bias:
///
/// - in a block mapping, on a line of its own after the layer's last key whose value sits
///   on one line (`activation: sigmoid`), indented as that key;
/// - in a flow mapping (`{name: a, units: 1, ...}`), as `, bias: none` after its last value.
public enum SpecUpgrade {
    /// The upgraded text, or why the text cannot be upgraded in place.
    public static func upgrade(_ source: String) throws(Failure) -> String {
        guard case .success(let root) = YAMLLoader.load(Array(source.utf8)), case .mapping(let top) = root.content else {
            throw Failure("the spec is not a YAML mapping", at: .startOfFile)
        }
        guard let version = top.first(where: { $0.key.text == "nnrun" })?.value,
              case .scalar(let scalar) = version.content, scalar.isPlain, scalar.text == "1"
        else { throw Failure("expected a format 1 spec ('nnrun: 1')", at: root.location) }

        var edits: [Edit] = [Edit(location: version.location, kind: .replace(length: version.length, with: "2"))]
        let layers = top.first { $0.key.text == "model" }.flatMap { model -> [YAMLNode]? in
            guard case .mapping(let fields) = model.value.content,
                  case .sequence(let items)? = fields.first(where: { $0.key.text == "layers" })?.value.content
            else { return nil }
            return items
        } ?? []
        let lines = SpecText.lines(of: source)
        for (index, layer) in layers.enumerated() {
            guard case .mapping(let pairs) = layer.content, !pairs.contains(where: { $0.key.text == "bias" }) else { continue }
            guard let edit = noBias(after: pairs, of: layer, in: lines) else {
                throw Failure("cannot add 'bias: none' to model.layers[\(index)] in place: none of its values sits on one line",
                              at: layer.location)
            }
            edits.append(edit)
        }
        var edited = lines
        // Last first, so that every location still points where it did.
        for edit in edits.sorted(by: { $0.location > $1.location }) { edit.apply(to: &edited) }
        return edited.joined(separator: "\n")
    }

    /// The edit that writes `bias: none` into a layer's mapping.
    private static func noBias(after pairs: [YAMLNode.Pair], of layer: YAMLNode, in lines: [String]) -> Edit? {
        let isFlow = SpecText.character(at: layer.location, in: lines) == "{"
        if isFlow {
            guard let last = pairs.last, let end = oneLineEnd(of: last.value, in: lines) else { return nil }
            return Edit(location: end, kind: .insert(", bias: none"))
        }
        guard let last = pairs.last(where: { oneLineEnd(of: $0.value, in: lines) != nil }) else { return nil }
        let indent = String(repeating: " ", count: last.key.location.column - 1)
        return Edit(location: SourceLocation(line: last.value.location.line, column: Int.max),
                    kind: .lineAfter(indent + "bias: none"))
    }

    /// Where a value that sits on one line ends (the column after it); nil for a value over
    /// several lines (a block list, a block scalar, a flow collection broken over lines).
    private static func oneLineEnd(of node: YAMLNode, in lines: [String]) -> SourceLocation? {
        let first = SpecText.character(at: node.location, in: lines)
        switch node.content {
        case .scalar(let scalar):
            if scalar.text.contains(where: \.isNewline) || first == "|" || first == ">" { return nil }
            if scalar.isPlain && scalar.text.isEmpty { return nil }
        case .sequence, .mapping:
            guard node.length >= 2, first == "[" || first == "{" else { return nil }
        }
        return SourceLocation(line: node.location.line, column: node.location.column + node.length)
    }

    private struct Edit {
        enum Kind {
            case replace(length: Int, with: String)
            case insert(String)
            /// A new line after `location.line`.
            case lineAfter(String)
        }

        var location: SourceLocation
        var kind: Kind

        func apply(to lines: inout [String]) {
            let line = location.line - 1
            guard lines.indices.contains(line) else { return }
            var characters = Array(lines[line])
            switch kind {
            case .replace(let length, let text):
                let start = min(location.column - 1, characters.count)
                characters.replaceSubrange(start..<min(characters.count, start + length), with: Array(text))
                lines[line] = String(characters)
            case .insert(let text):
                characters.insert(contentsOf: Array(text), at: min(location.column - 1, characters.count))
                lines[line] = String(characters)
            case .lineAfter(let text):
                // A file with CRLF line ends keeps them.
                lines.insert(text + (lines[line].hasSuffix("\r") ? "\r" : ""), at: line + 1)
            }
        }
    }

    /// Why a spec cannot be upgraded, and where.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var location: SourceLocation

        init(_ message: String, at location: SourceLocation) {
            self.message = message
            self.location = location
        }

        public var description: String { "\(location): \(message)" }
    }
}

private extension YAMLNode {
    var text: String? {
        if case .scalar(let scalar) = content { return scalar.text }
        return nil
    }
}
