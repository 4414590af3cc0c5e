/// A diagnostic together with the file it was found in: what the machine-readable formats
/// (`nnrun validate --format json|github`) print.
public struct FileDiagnostic: Sendable {
    public var file: String
    public var diagnostic: Diagnostic

    public init(file: String, diagnostic: Diagnostic) {
        self.file = file
        self.diagnostic = diagnostic
    }

    /// The file the diagnostic points into: the spec, a base file it extends, or for a
    /// `--set` override the override's text (at line 1).
    var shownFile: String {
        switch diagnostic.location.shown.origin {
        case nil: return file
        case .file(let name), .override(let name): return name
        }
    }
}

/// `--format json`: one JSON array of objects, each
///
///     {"id": "NN3009", "name": "unknown-activation", "severity": "error", "file": "spec.yaml",
///      "line": 7, "column": 19, "path": "model.layers[0].activation", "message": "...",
///      "fix": "..." or null, "notes": [{"line": 3, "column": 5, "message": "..."}]}
///
/// `path` is "" for a problem of the file as a whole. Strings are escaped as RFC 8259 asks
/// (quote, backslash, control characters as \uXXXX), so the spec's own text cannot break the
/// document; the output is ASCII-safe UTF-8 otherwise as written.
public enum DiagnosticJSON {
    public static func render(_ diagnostics: [FileDiagnostic]) -> String {
        guard !diagnostics.isEmpty else { return "[]" }
        let objects = diagnostics.map { entry -> String in
            let d = entry.diagnostic
            let notes = d.notes.map { note in
                "{\"line\": \(note.location.shown.line), \"column\": \(note.location.shown.column), \"message\": \(string(note.message))}"
            }
            let fields = [
                "\"id\": \(string(d.id.code))", "\"name\": \(string(d.id.slug))",
                "\"severity\": \(string(d.severity.rawValue))", "\"file\": \(string(entry.shownFile))",
                "\"line\": \(d.location.shown.line)", "\"column\": \(d.location.shown.column)",
                "\"path\": \(string(d.path.components.isEmpty ? "" : d.path.description))",
                "\"message\": \(string(d.message))", "\"fix\": \(d.fix.map(string) ?? "null")",
                "\"notes\": [\(notes.joined(separator: ", "))]",
            ]
            return "  {" + fields.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]"
    }

    /// A JSON string literal.
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

/// `--format github`: one GitHub Actions workflow command per diagnostic,
///
///     ::error file=spec.yaml,line=7,col=19,title=NN3009 unknown-activation::model.layers[0].activation: unknown ...%0A fix: ...
///
/// which a workflow step shows as an annotation on the spec's line. As GitHub's runner reads
/// them (actions/toolkit `command.ts`), the message escapes `%`, CR and LF as `%25`, `%0D`,
/// `%0A`, and the properties also `:` and `,` as `%3A` and `%2C`. The fix and the notes
/// follow the message on their own lines.
public enum GitHubAnnotation {
    public static func render(_ entry: FileDiagnostic) -> String {
        let d = entry.diagnostic
        let command = d.severity == .error ? "error" : "warning"
        let properties = [
            "file=" + property(entry.shownFile), "line=\(d.location.shown.line)", "col=\(d.location.shown.column)",
            "title=" + property("\(d.id.code) \(d.id.slug)"),
        ]
        var message = (d.path.components.isEmpty ? "" : "\(d.path): ") + d.message
        if let fix = d.fix { message += "\nfix: " + fix }
        for note in d.notes { message += "\nnote: \(entry.file):\(note.location): " + note.message }
        return "::\(command) " + properties.joined(separator: ",") + "::" + escapedData(message)
    }

    public static func render(_ diagnostics: [FileDiagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }

    static func escapedData(_ text: String) -> String {
        text.replacingAll(["%": "%25", "\r": "%0D", "\n": "%0A"])
    }

    static func property(_ text: String) -> String {
        text.replacingAll(["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
    }
}

extension String {
    /// Each scalar replaced by its entry in `table`, in one pass (so `%` is not escaped twice).
    fileprivate func replacingAll(_ table: [Unicode.Scalar: String]) -> String {
        var result = ""
        for scalar in unicodeScalars {
            if let replacement = table[scalar] { result += replacement } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }
}
