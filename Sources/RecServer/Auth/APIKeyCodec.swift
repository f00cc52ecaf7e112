import Crypto
import RecCore

/// Makes and checks API keys: `rk_<16-hex prefix>_<64-hex secret>`; only the prefix and a SHA-256 hash are stored.
public enum APIKeyCodec {
    /// A freshly generated key and the record to store for it.
    public struct Issued: Sendable {
        /// The full key, shown once to the caller and never stored.
        public let key: String
        /// What the store keeps.
        public let record: APIKeyRecord
    }

    /// Generates a key (256 random bits) for `tenantID` with `scopes`.
    public static func issue(tenantID: String, scopes: [Scope], name: String?, now: Int64) -> Issued {
        let prefix = Identifier.randomHex(bytes: 8)
        let key = "rk_\(prefix)_\(Identifier.randomHex(bytes: 32))"
        let record = APIKeyRecord(
            id: Identifier.random(prefix: "k"), tenantID: tenantID, prefix: prefix, hash: hash(key),
            scopes: scopes.sorted(), name: name, createdAt: now, revokedAt: nil
        )
        return Issued(key: key, record: record)
    }

    /// The lookup prefix of a well-formed key, or nil.
    public static func prefix(of key: String) -> String? {
        let parts = key.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "rk", parts[1].utf8.count == 16, parts[2].utf8.count == 64,
              parts[1].utf8.allSatisfy(isHex), parts[2].utf8.allSatisfy(isHex)
        else { return nil }
        return String(parts[1])
    }

    /// SHA-256 of a key.
    public static func hash(_ key: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(key.utf8)))
    }

    /// Compares two digests in time independent of where they differ.
    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (97...102).contains(byte)
    }
}
