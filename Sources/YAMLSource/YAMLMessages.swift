import Diagnostics

/// The catalogue of the YAML phase's messages (IDs NN0xxx and NN1xxx).
extension DiagnosticMessage {
    /// Shared by the loader and by commands that refuse a file by its size before reading it.
    public static func specTooLarge(bytes: Int, limit: Int) -> Self {
        specTooLarge("the file is \(bytes) bytes; specs are limited to \(limit) bytes")
    }

    /// The same, in the reader's words (which also cover a file that reports no size).
    public static func specTooLarge(_ reason: String) -> Self {
        .init(.specTooLarge, reason, fix: "split the data out of the spec or shrink it")
    }

    /// A spec that cannot be opened or read; `reason` is the system's ("no such file").
    public static func specUnreadable(_ reason: String) -> Self {
        .init(.specUnreadable, "cannot read the spec: \(reason)", fix: "check the path and the file's permissions")
    }

    static func nestedTooDeep(limit: Int) -> Self {
        .init(.nestedTooDeep, "the document nests deeper than \(limit) levels, far deeper than any spec",
              fix: "flatten the document")
    }

    static var emptySpec: Self {
        .init(.emptySpec, "the spec is empty; expected a mapping starting with 'nnrun: 1'",
              fix: "start from specs/tutorial.yaml")
    }

    static func strayByteOrderMark(line: Int) -> Self {
        .init(.strayByteOrderMark,
              line == 1 ? "the file starts with a second byte-order mark (U+FEFF)"
                  : "line \(line) starts with a byte-order mark (U+FEFF), an invisible character",
              fix: "delete the invisible character at the start of line \(line)"
                  + " (YAML would read the line as indented by one column)")
    }

    static var secondDocument: Self {
        .init(.secondDocument, "found a second YAML document; a spec is exactly one document",
              fix: "remove the '---' separator and everything after it, or put the second spec in its own file")
    }

    static func aliasExpansionTooLarge(name: String, size: Int, anchor: SourceLocation, limit: Int) -> Self {
        .init(.aliasExpansionTooLarge,
              "the alias '*\(name)' repeats the \(size) values anchored at \(anchor), which takes the values copied"
                  + " through aliases past \(limit); aliases nested in aliases multiply (an alias bomb)",
              fix: "write the repeated part once and refer to it with fewer, non-nested aliases")
    }

    static func recursiveAlias(name: String, anchor: SourceLocation) -> Self {
        .init(.recursiveAlias,
              "the alias '*\(name)' stands inside the value it repeats (anchored at \(anchor)), which would never end",
              fix: "move the alias out of the anchored value")
    }

    static func mergeKeyValue(found: String) -> Self {
        .init(.mergeKeyValue,
              "expected a mapping or a list of mappings after the merge key '<<', found \(found)",
              fix: "merge a mapping ('<<: *defaults', with '&defaults' on a mapping), or quote \"<<\" to use it as an ordinary key")
    }

    /// libyaml failing on its own terms (out of memory, a node it cannot describe).
    static func yamlInternal(_ what: String) -> Self {
        .init(.yamlInternal, what)
    }

    static func notUTF8(_ detail: String, fix: String) -> Self {
        .init(.notUTF8, "the file is not valid UTF-8 or UTF-16 text: \(detail)", fix: fix)
    }

    static func yamlSyntax(_ problem: String, fix: String?) -> Self {
        .init(.yamlSyntax, "YAML syntax error: \(problem)", fix: fix)
    }
}
