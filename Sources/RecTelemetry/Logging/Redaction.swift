/// Decides which log metadata keys hold secrets and must never be written.
public enum Redaction {
    private static let markers = ["authorization", "api_key", "apikey", "token", "secret", "password", "cookie"].map { Array($0.utf8) }

    /// Whether a metadata key names a secret (ASCII case-insensitive substring match; on every key of every log line,
    /// so it neither allocates nor searches with Foundation).
    public static func isSecret(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { bytes in
            markers.contains { marker in
                guard bytes.count >= marker.count else { return false }
                candidates: for start in 0...(bytes.count - marker.count) {
                    for offset in 0..<marker.count {
                        let byte = bytes[start + offset]
                        if (byte >= 65 && byte <= 90 ? byte + 32 : byte) != marker[offset] { continue candidates }
                    }
                    return true
                }
                return false
            }
        }
    }
}
