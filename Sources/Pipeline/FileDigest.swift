import Crypto

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
}
