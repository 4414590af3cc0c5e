import Crypto
import Sweeps

/// The identity of a spec: SHA-256 of its bytes, as the results file's `spec.sha256` and a
/// sweep summary's `spec.sha256` record it.
public enum FileDigest {
    /// Lowercase hex, 64 characters.
    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// The spec's identity in results files and sweep summaries (Docs/results-format.md):
    /// for a spec without base files and overrides, the SHA-256 of the file's bytes (so such
    /// results are unchanged); otherwise the SHA-256 of the UTF-8 text
    ///
    ///     sha256 <SHA-256 of the spec: its bytes, or with overrides its effective text's UTF-8>
    ///     extends <path as written> <SHA-256 of that base file's bytes>     (one per base, nearest first)
    ///     set <PATH>=<VALUE>                                                  (one per override, in order)
    ///
    /// each line ending with a line feed. The hashes say what was run; the paths and the
    /// overrides, how it was put together.
    public static func specIdentity(bytes: [UInt8], effectiveText: String?, bases: [(written: String, bytes: [UInt8])] = [],
                                    overrides: [SpecOverride]) -> String {
        guard effectiveText != nil || !bases.isEmpty || !overrides.isEmpty else { return sha256(bytes) }
        var manifest = "sha256 " + sha256(effectiveText.map { Array($0.utf8) } ?? bytes) + "\n"
        for base in bases { manifest += "extends \(base.written) \(sha256(base.bytes))\n" }
        for override in overrides { manifest += "set \(override)\n" }
        return sha256(Array(manifest.utf8))
    }
}
