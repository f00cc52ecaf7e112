/// Decides which log metadata keys hold secrets and must never be written.
public enum Redaction {
    private static let markers = ["authorization", "api_key", "apikey", "token", "secret", "password", "cookie"].map { Array($0.utf8) }
    /// The shortest marker's length: shorter keys hold none.
    private static let shortest = markers.map(\.count).min()!
    /// Bit `c - 97` is set for each lower-case letter `c` a marker starts with.
    private static let firstLetters = markers.reduce(UInt32(0)) { $0 | 1 << UInt32($1[0] - 97) }

    /// Whether a metadata key names a secret (ASCII case-insensitive substring match; on every key of every log line,
    /// so it neither allocates nor searches with Foundation: one pass over the key, trying only the markers that start
    /// with each byte).
    public static func isSecret(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { bytes in
            guard bytes.count >= shortest else { return false }
            for start in 0...(bytes.count - shortest) {
                let first = lowercased(bytes[start])
                guard first >= 97, first <= 122, firstLetters & 1 << UInt32(first - 97) != 0 else { continue }
                candidates: for marker in markers where marker[0] == first && start + marker.count <= bytes.count {
                    for offset in 1..<marker.count where lowercased(bytes[start + offset]) != marker[offset] {
                        continue candidates
                    }
                    return true
                }
            }
            return false
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }
}
