import Spec
import Sweeps
import YAMLSource

/// `nnrun upgrade`: the text of a format 2 spec with the meaning of a valid format 1 spec
/// (`SpecUpgrade` says what changes), written from the file's own text.
public enum UpgradedSpec {
    /// The upgraded text of the spec at `path`; a format 2 spec comes back as it is. A spec
    /// with errors is refused: it has no meaning to keep.
    public static func text(ofSpecAt path: String) throws(PipelineFailure) -> String {
        let compilation = SpecCompilation(path: path)
        _ = try compilation.validSpec()
        let source = SourceText.decode(compilation.bytes)
        // A UTF-8 byte-order mark stays (the text is decoded without it; UTF-16 becomes UTF-8).
        let mark = compilation.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? "\u{FEFF}" : ""
        if compilation.spec?.version?.value == 2 { return mark + source }
        do {
            return try mark + SpecUpgrade.upgrade(source)
        } catch {
            throw .unrecognized(path: "\(path):\(error.location)", problem: "cannot upgrade: \(error.message)")
        }
    }
}
