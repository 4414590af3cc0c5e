import Diagnostics
import Foundation
import Spec
import Validation
import YAMLSource

/// One spec file taken through loading, decoding and validation: what every command
/// does first. Planning starts only when this produced a `ValidatedSpec`.
public struct SpecCompilation: Sendable {
    public enum Outcome: Sendable {
        case valid(ValidatedSpec)
        case invalid
        /// The file could not be read; the text says why.
        case unreadable(String)
    }

    public var path: String
    public var bytes: [UInt8]
    /// The decoded spec, when the YAML loaded.
    public var spec: Spec?
    public var outcome: Outcome
    /// Every diagnostic in source order (errors and warnings).
    public var diagnostics: [Diagnostic]

    public init(path: String) {
        // A file over the size limit is refused before it is read (a 10 GB file costs nothing).
        let limit = YAMLLoader.Limits().maxBytes
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > limit {
            self.init(path: path, refused: Diagnostic(.specTooLarge(bytes: size, limit: limit), at: .startOfFile, path: .root))
        } else if let bytes = FileBytes.read(path) {
            self.init(path: path, bytes: bytes)
        } else {
            let reason = errno   // open(2) or read(2) said why, before anything else can overwrite it
            self.init(path: path, unreadable: SpecCompilation.whyUnreadable(path, errno: reason))
        }
    }

    private init(path: String, refused diagnostic: Diagnostic) {
        self.path = path
        self.bytes = []
        self.spec = nil
        self.diagnostics = [diagnostic]
        self.outcome = .invalid
    }

    private init(path: String, unreadable reason: String) {
        self.path = path
        self.bytes = []
        self.spec = nil
        self.diagnostics = []
        self.outcome = .unreadable(reason)
    }

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        let (spec, decodeDiagnostics) = SpecFile.decode(bytes)
        self.spec = spec
        var diagnostics = decodeDiagnostics
        var validated: ValidatedSpec?
        if let spec {
            // Data files are named relative to the spec's own folder.
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            let validation = Validator.validate(spec, decodingDiagnostics: decodeDiagnostics) { relative in
                let url = relative.hasPrefix("/") ? URL(fileURLWithPath: relative) : folder.appendingPathComponent(relative)
                return FileBytes.read(url.path)
            }
            diagnostics += validation.diagnostics
            validated = decodeDiagnostics.containsErrors ? nil : validation.spec
        }
        self.diagnostics = diagnostics.sortedBySource()
        self.outcome = validated.map(Outcome.valid) ?? .invalid
    }

    /// The diagnostics as the terminal shows them, with source lines and carets.
    public var renderedDiagnostics: String {
        // Decoded as libyaml decodes it (UTF-16 too), without the byte-order mark.
        DiagnosticRenderer(fileName: path, source: SourceText.decode(bytes)).render(diagnostics)
    }

    /// The exit status this compilation alone calls for.
    public var exitStatus: ExitStatus {
        switch outcome {
        case .valid: return .ok
        case .invalid: return .invalidSpec
        case .unreadable: return .noInput
        }
    }

    private static func whyUnreadable(_ path: String, errno code: Int32) -> String {
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            return "no such file"
        }
        if isFolder.boolValue || code == EISDIR { return "it is a folder, not a spec file" }
        // The system's words for what went wrong ("Permission denied", "Input/output error").
        return String(cString: strerror(code)).lowercased()
    }
}
