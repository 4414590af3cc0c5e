import Diagnostics
import Foundation
import Planning
import Spec
import Sweeps
import Validation
import YAMLSource

/// One spec file taken through loading, decoding and validation: what every command
/// does first. Planning starts only when this produced a `ValidatedSpec`.
public struct SpecCompilation: Sendable {
    public enum Outcome: Sendable {
        case valid(ValidatedSpec)
        case invalid
        /// The file could not be read; the error says why.
        case unreadable(InputFile.ReadError)
    }

    public var path: String
    public var bytes: [UInt8]
    /// The `--set` overrides written into the spec's text before it was decoded, in order.
    public var overrides: [SpecOverride] = []
    /// The spec's text with the overrides written in (nil without overrides).
    public var effectiveText: String?
    /// The base files the spec extends (`extends`), nearest first.
    var bases: [SpecComposition.Base] = []
    /// The decoded spec, when the YAML loaded.
    public var spec: Spec?
    public var outcome: Outcome
    /// Every diagnostic in source order (errors and warnings).
    public var diagnostics: [Diagnostic]

    /// Reads the spec at `path` and compiles it with `overrides` written in; data files are
    /// read relative to its folder.
    public init(path: String, overrides: [SpecOverride] = []) {
        do {
            self.init(path: path, bytes: try InputFile.read(path, as: .spec), overrides: overrides)
        } catch {
            if case .tooLarge = error.reason {
                // Refused like a spec over the loader's limit: a problem of the spec (exit 65), at its start.
                self.init(path: path, refused: Diagnostic(.specTooLarge(error.reasonText), at: .startOfFile, path: .root))
            } else {
                self.init(path: path, unreadable: error)
            }
        }
    }

    private init(path: String, refused diagnostic: Diagnostic) {
        self.path = path
        self.bytes = []
        self.spec = nil
        self.diagnostics = [diagnostic]
        self.outcome = .invalid
    }

    private init(path: String, unreadable error: InputFile.ReadError) {
        self.path = path
        self.bytes = []
        self.spec = nil
        self.diagnostics = []
        self.outcome = .unreadable(error)
    }

    /// Compiles the spec text `bytes`, named `path` in diagnostics, with `overrides` written
    /// in (`SpecOverride`: in place, the same mechanism as a sweep's). `readDataFile` reads
    /// the data files the spec names (CSV, `.npy`); by default, relative to `path`'s folder.
    public init(path: String, bytes: [UInt8], overrides: [SpecOverride] = [], readDataFile: Validator.FileReader? = nil) {
        self.path = path
        self.bytes = bytes
        self.overrides = overrides
        let decoded: (spec: Spec?, diagnostics: [Diagnostic])
        switch SpecComposition.load(path: path, bytes: bytes, overrides: overrides) {
        case .success(let composition):
            effectiveText = composition.effectiveText
            bases = composition.bases
            decoded = SpecFile.decode(composition.root)
        case .failure(let failure):
            bases = failure.bases
            decoded = (nil, [failure.diagnostic])
        }
        let (spec, decodeDiagnostics) = decoded
        self.spec = spec
        var diagnostics = decodeDiagnostics
        var validated: ValidatedSpec?
        if let spec {
            let validation = Validator.validate(spec, decodingDiagnostics: decodeDiagnostics,
                                                readFile: readDataFile ?? SpecCompilation.dataFileReader(besides: path),
                                                readResults: StartingParameters.reader(besides: path))
            diagnostics += validation.diagnostics
            validated = decodeDiagnostics.containsErrors ? nil : validation.spec
        }
        self.diagnostics = diagnostics.sortedBySource()
        self.outcome = validated.map(Outcome.valid) ?? .invalid
    }

    /// The spec's identity in results files (`FileDigest.specIdentity`).
    public var sha256: String {
        FileDigest.specIdentity(bytes: bytes, effectiveText: effectiveText,
                                bases: bases.map { ($0.written, $0.bytes) }, overrides: overrides)
    }

    /// The base files the spec extends, nearest first, as the `extends` keys write them.
    public var extends: [String] { bases.map(\.written) }

    /// The text the spec was decoded from: with the overrides written in, if any.
    public var sourceText: String { effectiveText ?? SourceText.decode(bytes) }

    /// The diagnostics as the terminal shows them, with source lines and carets.
    public var renderedDiagnostics: String {
        // Decoded as libyaml decodes it (UTF-16 too), without the byte-order mark.
        DiagnosticRenderer(fileName: path, source: SourceText.decode(bytes),
                           baseFiles: Dictionary(bases.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first }))
            .render(diagnostics)
    }

    /// The valid spec, or the failure that stops a command needing one: the file could not
    /// be read, or it has errors. A valid spec may still have warnings in `diagnostics`.
    public func validSpec() throws(PipelineFailure) -> ValidatedSpec {
        switch outcome {
        case .valid(let spec): return spec
        case .invalid: throw .invalidSpec(self)
        case .unreadable(let error): throw .unreadable(error)
        }
    }

    /// Data files are named relative to the spec's own folder (or absolute).
    private static func dataFileReader(besides path: String) -> Validator.FileReader {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        return { named in
            let url = named.hasPrefix("/") ? URL(fileURLWithPath: named) : folder.appendingPathComponent(named)
            return try? InputFile.read(url.path, as: .dataFile)
        }
    }
}
