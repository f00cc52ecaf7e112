/// Decides which log metadata keys hold secrets and must never be written.
public enum Redaction {
    private static let markers = ["authorization", "api_key", "apikey", "token", "secret", "password", "cookie"].map { Array($0.utf8) }

    /// Whether a metadata key names a secret (ASCII case-insensitive substring match; on every log line, so no
    /// Foundation string search).
    public static func isSecret(_ key: String) -> Bool {
        let lowered = key.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        return markers.contains { marker in
            guard lowered.count >= marker.count else { return false }
            for start in 0...(lowered.count - marker.count) where lowered[start] == marker[0] {
                if lowered[start..<(start + marker.count)].elementsEqual(marker) { return true }
            }
            return false
        }
    }
}
