import CYAML
import Diagnostics

/// Loads one YAML document into a `YAMLNode` tree with libyaml's document API
/// (`yaml_parser_load`), refusing what a spec never needs and what could hurt:
/// several documents, aliases that would copy more than `Limits.maxAliasExpansion` nodes
/// (an alias bomb is refused before it is expanded) or that repeat the node they are in,
/// nesting deeper than `Limits.maxDepth`, files over `Limits.maxBytes`. Aliases are
/// expanded, and YAML 1.1 merge keys (`<<: *base`) merged (`MergeKey`).
public enum YAMLLoader {
    public struct Limits: Sendable {
        /// Specs are hand-written or generated configs; 16 MiB is far beyond any of them
        /// and keeps a pathological file from being parsed at all.
        public var maxBytes: Int = 16 << 20
        /// A spec nests at most five levels (model.layers[0].weights[0][1]); deeper
        /// documents are refused instead of recursed into.
        public var maxDepth: Int = 64
        /// Aliases may copy at most this many nodes in all (a node is a scalar, a list or a
        /// mapping; a key counts as one). A column mapping or a layer's settings repeated
        /// is tens of nodes, a 100 x 100 weight matrix ten thousand; 100,000 is beyond any
        /// spec and copied at once, while "billion laughs" (10^9 nodes) is refused at its fifth level.
        public var maxAliasExpansion: Int = 100_000

        public init() {}
    }

    /// The document's root node, or a diagnostic saying why there is none.
    public static func load(_ bytes: [UInt8], limits: Limits = Limits()) -> Result<YAMLNode, Diagnostic> {
        if bytes.count > limits.maxBytes {
            return .failure(fileProblem(.specTooLarge(bytes: bytes.count, limit: limits.maxBytes)))
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .failure(emptyFile())
        }
        if let mark = SourceText.strayByteOrderMark(in: bytes) {
            return .failure(strayByteOrderMark(at: mark))
        }
        let standIns = LineBreakStandIns(bytes)
        if let tooDeep = firstTooDeep(standIns.bytes, maxDepth: limits.maxDepth) {
            return .failure(Diagnostic(.nestedTooDeep(limit: limits.maxDepth), at: tooDeep, path: .root))
        }

        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return .failure(fileProblem(.yamlInternal("libyaml could not start (out of memory)")))
        }
        defer { yaml_parser_delete(&parser) }

        // libyaml keeps the pointer, so the whole load must run inside this closure.
        return standIns.bytes.withUnsafeBufferPointer { buffer -> Result<YAMLNode, Diagnostic> in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

            var document = yaml_document_t()
            guard yaml_parser_load(&parser, &document) == 1 else {
                return .failure(syntaxError(parser, bytes: bytes, input: standIns.bytes))
            }
            defer { yaml_document_delete(&document) }
            guard yaml_document_get_root_node(&document) != nil else {
                return .failure(emptyFile())   // only comments
            }

            var builder = TreeBuilder(document: document, limits: limits, standIns: standIns,
                                      aliasUses: aliasUses(standIns.bytes))
            let root: YAMLNode
            switch builder.build() {
            case .success(let node): root = node
            case .failure(let diagnostic): return .failure(diagnostic)
            }

            var next = yaml_document_t()
            guard yaml_parser_load(&parser, &next) == 1 else {
                return .failure(syntaxError(parser, bytes: bytes, input: standIns.bytes))
            }
            defer { yaml_document_delete(&next) }
            if let second = yaml_document_get_root_node(&next) {
                return .failure(Diagnostic(.secondDocument, at: location(second.pointee.start_mark), path: .root))
            }
            return .success(root)
        }
    }

    /// Where the nesting first goes deeper than `maxDepth`, found with libyaml's event
    /// parser before any document is built: the parser's cost grows with the square of the
    /// depth, so a 100,000-level file would take minutes to load in full, but stopping at
    /// level 65 costs nothing. nil when the file stays within the limit (or does not parse:
    /// the full load then reports libyaml's error as usual).
    static func firstTooDeep(_ bytes: [UInt8], maxDepth: Int) -> SourceLocation? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> SourceLocation? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var depth = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    // Counted as the tree builder counts: the root is level 1.
                    depth += 1
                    if depth > maxDepth { return location(event.start_mark) }
                case YAML_SCALAR_EVENT, YAML_ALIAS_EVENT:
                    if depth + 1 > maxDepth { return location(event.start_mark) }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                case YAML_STREAM_END_EVENT:
                    return nil
                default:
                    break
                }
            }
        }
    }

    /// The aliases (`*name`) of the first document, in the order they are written, found
    /// with libyaml's event parser: the document API keeps no trace of where an alias stands.
    static func aliasUses(_ bytes: [UInt8]) -> [SourceLocation.AliasUse] {
        // Most specs have no alias; a byte search settles it.
        guard SourceText.containsAny(of: [UInt8(ascii: "*")], in: bytes) else { return [] }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return [] }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> [SourceLocation.AliasUse] in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var uses: [SourceLocation.AliasUse] = []
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return uses }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_ALIAS_EVENT:
                    let name = event.data.alias.anchor.map { String(cString: $0) } ?? "?"
                    let at = location(event.start_mark)
                    uses.append(SourceLocation.AliasUse(name: name, line: at.line, column: at.column))
                case YAML_DOCUMENT_END_EVENT, YAML_STREAM_END_EVENT:
                    return uses
                default:
                    break
                }
            }
        }
    }

    static func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func emptyFile() -> Diagnostic {
        fileProblem(.emptySpec)
    }

    private static func strayByteOrderMark(at location: SourceLocation) -> Diagnostic {
        Diagnostic(.strayByteOrderMark(line: location.line), at: location, path: .root)
    }

    private static func fileProblem(_ message: DiagnosticMessage) -> Diagnostic {
        Diagnostic(message, at: .startOfFile, path: .root)
    }

    /// libyaml's own words, e.g. "did not find expected '-' indicator (while parsing a
    /// block collection at 2:3)". Reader errors (bad UTF-8) carry only a byte offset.
    /// `bytes` is the file, `input` what libyaml read (`LineBreakStandIns`).
    private static func syntaxError(_ parser: yaml_parser_t, bytes: [UInt8], input: [UInt8]) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            var offset = Int(parser.problem_offset)
            var message = problem
            var fix = "save the spec as UTF-8"
            // libyaml points "invalid trailing UTF-8 octet" at the byte after the bad one (often a
            // plain ASCII letter); point at the byte that started the sequence instead.
            if problem == "invalid trailing UTF-8 octet", bytes.indices.contains(offset),
               let lead = (max(0, offset - 3)..<offset).last(where: { bytes[$0] & 0xC0 == 0xC0 }) {
                message = "byte \(hex(bytes[lead])) starts a UTF-8 sequence"
                    + " that the next byte (\(hex(bytes[offset]))) does not continue"
                fix += " (in Latin-1, byte \(hex(bytes[lead])) is '\(Character(Unicode.Scalar(bytes[lead])))')"
                offset = lead
            } else if parser.problem_value >= 0 && parser.problem_value <= 0xFF {
                message += " (byte \(hex(UInt8(parser.problem_value))))"
            }
            return Diagnostic(.notUTF8(message, fix: fix), at: SourceText.location(ofByteOffset: offset, in: bytes), path: .root)
        }
        var message = problem
        if let context = parser.context {
            message += " (\(String(cString: context)) at \(location(parser.context_mark)))"
        }
        // libyaml says "found character that cannot start any token" for a tab; name it.
        let atTab = character(at: parser.problem_mark, in: bytes) == "\t"
        var at = location(parser.problem_mark)
        var fix: String?
        if atTab || problem.contains("tab") {
            fix = "indent with spaces, not tabs (YAML does not allow tabs for indentation)"
        } else if problem == "could not find expected ':'", parser.context != nil {
            // libyaml gives up on the line after the key; the key itself is the context mark.
            at = location(parser.context_mark)
            fix = "write ':' and a space after the key, as in 'key: value'"
        } else if problem.hasPrefix("did not find expected ',' or "), let close = problem.dropLast().last {
            fix = "close the \(close == "]" ? "list" : "mapping") opened at \(location(parser.context_mark)) with '\(close)',"
                + " or separate its items with ','"
        } else if problem == "did not find expected <document start>",
                  let directive = firstDirectiveWithoutDocument(before: parser.problem_mark, in: input) {
            // libyaml notices the missing '---' at the next token, often the end of the file.
            at = directive
            fix = "a directive ('%YAML', '%TAG') must be followed by a '---' line; a spec needs none, so delete it"
        } else if problem == "mapping values are not allowed in this context" {
            fix = "check this line's indentation (keys of one mapping line up), or quote a value that contains ': '"
        }
        return Diagnostic(.yamlSyntax(message, fix: fix), at: at, path: .root)
    }

    /// `0xE9`: a byte as messages show it.
    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count == 1 ? "0" : "") + digits
    }

    /// The character at a libyaml mark, found by line and column: `mark.index` counts
    /// characters, not bytes, so it cannot index `bytes` once a BOM or a multi-byte
    /// character comes before the mark.
    static func character(at mark: yaml_mark_t, in bytes: [UInt8]) -> Unicode.Scalar? {
        var line = 0, column = 0
        var previous: Unicode.Scalar?
        for scalar in SourceText.decode(bytes).unicodeScalars {
            defer { previous = scalar }
            if scalar == "\n" && previous == "\r" { continue }   // CRLF: the CR ended the line
            if line == Int(mark.line) && column == Int(mark.column) { return scalar }
            if scalar == "\n" || scalar == "\r" { line += 1; column = 0 } else { column += 1 }
        }
        return nil
    }

    /// Where the directives start that libyaml found no '---' after: the first of the last
    /// run of `%YAML`/`%TAG` directives before `mark`, found with libyaml's own scanner.
    static func firstDirectiveWithoutDocument(before mark: yaml_mark_t, in bytes: [UInt8]) -> SourceLocation? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> SourceLocation? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var firstOfRun: SourceLocation?
            while true {
                var token = yaml_token_t()
                guard yaml_parser_scan(&parser, &token) == 1 else { return firstOfRun }
                defer { yaml_token_delete(&token) }
                if token.type == YAML_STREAM_END_TOKEN || token.start_mark.index >= mark.index { return firstOfRun }
                switch token.type {
                case YAML_VERSION_DIRECTIVE_TOKEN, YAML_TAG_DIRECTIVE_TOKEN:
                    firstOfRun = firstOfRun ?? location(token.start_mark)
                case YAML_STREAM_START_TOKEN, YAML_BLOCK_END_TOKEN:
                    break   // libyaml ends the open blocks just before a directive
                default:
                    firstOfRun = nil
                }
            }
        }
    }
}

/// Copies libyaml's node graph into value-type `YAMLNode`s, expanding aliases and merge keys.
///
/// libyaml represents an alias as a second reference to the anchored node's index, so a
/// node index seen twice is an alias. An anchored node is built once and its copies share
/// its storage; what an alias would expand to is counted before it is copied, so an alias
/// bomb is refused at the first alias that takes the document past
/// `YAMLLoader.Limits.maxAliasExpansion`, having copied at most that many nodes. Depth is
/// checked on the way down, and for an alias, the depth of what it repeats.
private struct TreeBuilder {
    /// A node built, with the number of nodes in it and its height (a scalar is 1).
    struct Built {
        var node: YAMLNode
        var size: Int
        var height: Int
    }

    var document: yaml_document_t
    let limits: YAMLLoader.Limits
    let standIns: LineBreakStandIns
    /// The aliases of the document in the order they are written, which is the order in
    /// which a depth-first walk meets an index the second time.
    let aliasUses: [SourceLocation.AliasUse]
    var nextAlias = 0
    /// How many times each node is referenced, by index - 1: a node referenced more than
    /// once is anchored. An array, not a dictionary: a large data set has millions of nodes.
    var references: [UInt8] = []
    /// The anchored nodes built so far.
    var anchored: [Int32: Built] = [:]
    var inProgress = Set<Int32>()
    /// Nodes copied through aliases so far.
    var expanded = 0

    init(document: yaml_document_t, limits: YAMLLoader.Limits, standIns: LineBreakStandIns,
         aliasUses: [SourceLocation.AliasUse]) {
        self.document = document
        self.limits = limits
        self.standIns = standIns
        self.aliasUses = aliasUses
    }

    mutating func build() -> Result<YAMLNode, Diagnostic> {
        countReferences()
        do { return .success(try node(at: 1, depth: 1).node) } catch { return .failure(error) }
    }

    /// One pass over libyaml's node array, before anything is built.
    private mutating func countReferences() {
        references = [UInt8](repeating: 0, count: max(0, document.nodes.top - document.nodes.start))
        func count(_ index: Int32, in references: inout [UInt8]) {
            let slot = Int(index) - 1
            if references.indices.contains(slot), references[slot] < 2 { references[slot] += 1 }
        }
        var node = document.nodes.start
        while let current = node, current != document.nodes.top {
            switch current.pointee.type {
            case YAML_SEQUENCE_NODE:
                var item = current.pointee.data.sequence.items.start
                while let each = item, each != current.pointee.data.sequence.items.top {
                    count(each.pointee, in: &references)
                    item = each + 1
                }
            case YAML_MAPPING_NODE:
                var pair = current.pointee.data.mapping.pairs.start
                while let each = pair, each != current.pointee.data.mapping.pairs.top {
                    count(each.pointee.key, in: &references)
                    count(each.pointee.value, in: &references)
                    pair = each + 1
                }
            default:
                break
            }
            node = current + 1
        }
    }

    private mutating func nextAliasUse(at fallback: SourceLocation) -> SourceLocation.AliasUse {
        defer { nextAlias += 1 }
        return aliasUses.indices.contains(nextAlias) ? aliasUses[nextAlias]
            : SourceLocation.AliasUse(name: "?", line: fallback.line, column: fallback.column)
    }

    private mutating func node(at index: Int32, depth: Int) throws(Diagnostic) -> Built {
        guard let pointer = yaml_document_get_node(&document, index) else {
            throw Diagnostic(.yamlInternal("libyaml returned a dangling node reference"), at: .startOfFile, path: .root)
        }
        let raw = pointer.pointee
        let start = YAMLLoader.location(raw.start_mark)
        if let original = anchored[index] {
            return try copy(original, anchoredAt: start, depth: depth)
        }
        if inProgress.contains(index) {
            let use = nextAliasUse(at: start)
            throw Diagnostic(.recursiveAlias(name: use.name, anchor: start), at: use.location, path: .root)
        }
        guard depth <= limits.maxDepth else {
            throw Diagnostic(.nestedTooDeep(limit: limits.maxDepth), at: start, path: .root)
        }
        let sameLine = raw.start_mark.line == raw.end_mark.line
        let length = sameLine ? max(1, Int(raw.end_mark.column) - Int(raw.start_mark.column)) : 1
        inProgress.insert(index)
        defer { inProgress.remove(index) }

        let built: Built
        switch raw.type {
        case YAML_SCALAR_NODE:
            let scalar = raw.data.scalar
            // Decode by length: a quoted "\0" would cut a C-string read short.
            let text = scalar.value.map { pointer in
                String(decoding: UnsafeBufferPointer(start: pointer, count: Int(scalar.length)), as: UTF8.self)
            } ?? ""
            built = Built(node: YAMLNode(.scalar(.init(text: standIns.restoring(text), isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE)),
                                         at: start, length: length),
                          size: 1, height: 1)
        case YAML_SEQUENCE_NODE:
            var items: [YAMLNode] = []
            var size = 1, height = 1
            var item = raw.data.sequence.items.start
            while let current = item, current != raw.data.sequence.items.top {
                let child = try node(at: current.pointee, depth: depth + 1)
                items.append(child.node)
                size += child.size
                height = max(height, child.height + 1)
                item = current + 1
            }
            built = Built(node: YAMLNode(.sequence(items), at: start, length: length), size: size, height: height)
        case YAML_MAPPING_NODE:
            var pairs: [YAMLNode.Pair] = []
            var merges: [MergeKey.Source] = []
            var size = 1, height = 1
            var pair = raw.data.mapping.pairs.start
            while let current = pair, current != raw.data.mapping.pairs.top {
                let key = try node(at: current.pointee.key, depth: depth + 1)
                let value = try node(at: current.pointee.value, depth: depth + 1)
                size += key.size + value.size
                height = max(height, key.height + 1, value.height + 1)
                if MergeKey.isMergeKey(key.node) {
                    merges.append(try MergeKey.sources(key: key.node, value: value.node))
                } else {
                    pairs.append(.init(key: key.node, value: value.node))
                }
                pair = current + 1
            }
            built = Built(node: YAMLNode(.mapping(MergeKey.merge(merges, into: pairs)), at: start, length: length),
                          size: size, height: height)
        default:
            throw Diagnostic(.yamlInternal("empty YAML node"), at: start, path: .root)
        }
        if references.indices.contains(Int(index) - 1), references[Int(index) - 1] > 1 { anchored[index] = built }
        return built
    }

    /// An anchored node met again: the alias's copy, counted against the expansion limit
    /// before it is made.
    private mutating func copy(_ original: Built, anchoredAt anchor: SourceLocation, depth: Int) throws(Diagnostic) -> Built {
        let use = nextAliasUse(at: anchor)
        expanded += original.size
        guard expanded <= limits.maxAliasExpansion else {
            throw Diagnostic(.aliasExpansionTooLarge(name: use.name, size: original.size, anchor: anchor,
                                                     limit: limits.maxAliasExpansion),
                             at: use.location, path: .root)
        }
        guard depth + original.height - 1 <= limits.maxDepth else {
            throw Diagnostic(.nestedTooDeep(limit: limits.maxDepth), at: use.location, path: .root)
        }
        return Built(node: original.node.reached(through: use), size: original.size, height: original.height)
    }
}

extension SourceLocation.AliasUse {
    /// Where the alias itself is written.
    var location: SourceLocation { SourceLocation(line: line, column: column) }
}

extension YAMLNode {
    /// The node as an alias repeats it: every location inside remembers the alias (the
    /// outermost one, when aliases nest), and is underlined as the alias is (`*name`).
    func reached(through use: SourceLocation.AliasUse) -> YAMLNode {
        var copy = self
        copy.location.alias = use
        copy.length = use.name.count + 1
        switch content {
        case .scalar:
            break
        case .sequence(let items):
            copy.content = .sequence(items.map { $0.reached(through: use) })
        case .mapping(let pairs):
            copy.content = .mapping(pairs.map { .init(key: $0.key.reached(through: use), value: $0.value.reached(through: use)) })
        }
        return copy
    }
}
