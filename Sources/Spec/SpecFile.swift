import Diagnostics
import YAMLSource

/// Reads YAML bytes all the way to a decoded `Spec`: the front half of every command.
public enum SpecFile {
    /// The decoded spec, or nil when the YAML itself could not be loaded; plus every
    /// diagnostic found so far.
    public static func decode(_ bytes: [UInt8]) -> (spec: Spec?, diagnostics: [Diagnostic]) {
        switch YAMLLoader.load(bytes) {
        case .failure(let diagnostic):
            return (nil, [diagnostic])
        case .success(let root):
            return decode(root)
        }
    }

    /// Decodes a node tree already loaded (and, for `--set`, mapped back to its sources).
    public static func decode(_ root: YAMLNode) -> (spec: Spec?, diagnostics: [Diagnostic]) {
        var decoder = SpecDecoder()
        let spec = decoder.decode(root)
        return (spec, decoder.diagnostics)
    }
}
