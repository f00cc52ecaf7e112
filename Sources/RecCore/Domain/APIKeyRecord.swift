/// The stored form of an API key: never the key itself, only its lookup prefix and SHA-256 hash.
public struct APIKeyRecord: Sendable, Equatable {
    /// The key id (`k_…`), safe to show and log.
    public let id: String
    /// The tenant the key belongs to.
    public let tenantID: String
    /// The public lookup prefix embedded in the key.
    public let prefix: String
    /// SHA-256 of the full key.
    public let hash: [UInt8]
    /// What the key may do.
    public let scopes: [Scope]
    /// An optional label chosen by the operator.
    public let name: String?
    /// Creation time in Unix milliseconds.
    public let createdAt: Int64
    /// Revocation time in Unix milliseconds; revoked keys never authenticate.
    public let revokedAt: Int64?

    /// Creates a key record.
    public init(id: String, tenantID: String, prefix: String, hash: [UInt8], scopes: [Scope], name: String?, createdAt: Int64, revokedAt: Int64?) {
        self.id = id
        self.tenantID = tenantID
        self.prefix = prefix
        self.hash = hash
        self.scopes = scopes
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
