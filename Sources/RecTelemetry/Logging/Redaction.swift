/// Decides which log metadata keys hold secrets and must never be written.
public enum Redaction {
    private static let markers = ["authorization", "api_key", "apikey", "token", "secret", "password", "cookie"]

    /// Whether a metadata key names a secret.
    public static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return markers.contains { lowered.contains($0) }
    }
}
