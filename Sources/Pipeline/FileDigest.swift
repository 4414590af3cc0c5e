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
    /// without overrides, the SHA-256 of the file's bytes (so such results are unchanged);
    /// with them, the SHA-256 of the UTF-8 text `sha256 <SHA-256 of the effective text's
    /// UTF-8>\n` followed by one line `set PATH=VALUE\n` per override, in order. The
    /// effective text says what was run; the list, how it was made.
    public static func specIdentity(bytes: [UInt8], effectiveText: String?, overrides: [SpecOverride]) -> String {
        guard let effectiveText, !overrides.isEmpty else { return sha256(bytes) }
        var manifest = "sha256 " + sha256(Array(effectiveText.utf8)) + "\n"
        for override in overrides { manifest += "set \(override)\n" }
        return sha256(Array(manifest.utf8))
    }
}
