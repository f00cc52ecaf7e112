import RecCore
import RecStore

/// Tenant and key administration shared by the admin API and the `recommender tenants` command.
public struct TenantService: Sendable {
    /// The record store.
    public let store: RecordStore
    /// Cache to invalidate when keys or tenants change (nil outside the server).
    let authenticator: KeyAuthenticator?

    /// Creates the service.
    public init(store: RecordStore, authenticator: KeyAuthenticator?) {
        self.store = store
        self.authenticator = authenticator
    }

    /// What creating a tenant answers: the tenant id and its first, all-scopes key (shown once).
    public struct Created: Encodable, Sendable {
        /// The new tenant's id.
        public let tenant_id: String
        /// Its name.
        public let name: String
        /// The first key's id.
        public let key_id: String
        /// The first key itself.
        public let api_key: String
        /// The first key's scopes (all of them).
        public let scopes: [String]
    }

    /// Creates a tenant named `name` with a key carrying every scope.
    public func create(name: String) async throws -> Created {
        let trimmed = name.trimmingSpaces
        guard !trimmed.isEmpty, Identifier.problem(with: trimmed) == nil, trimmed.utf8.count <= 128 else {
            throw RecError.invalidField("name", "must be 1–128 bytes of printable text")
        }
        let now = WallClock.nowMillis()
        let tenant = Tenant(id: Identifier.random(prefix: "t", bytes: 8), name: trimmed, status: .active, createdAt: now)
        let issued = APIKeyCodec.issue(tenantID: tenant.id, scopes: Scope.allCases, name: "initial", now: now)
        try await store.createTenant(tenant, firstKey: issued.record)
        return Created(tenant_id: tenant.id, name: tenant.name, key_id: issued.record.id, api_key: issued.key, scopes: issued.record.scopes.map(\.rawValue))
    }

    /// A tenant, or 404.
    public func require(_ id: String) async throws -> Tenant {
        guard let tenant = try await store.tenant(id: id) else { throw RecError.notFound("tenant") }
        return tenant
    }

    /// Suspends or resumes a tenant.
    public func setStatus(_ id: String, _ status: Tenant.Status) async throws -> Tenant {
        guard try await store.setTenantStatus(id: id, status) else { throw RecError.notFound("tenant") }
        authenticator?.invalidate(tenantID: id)
        return try await require(id)
    }

    /// Sets or clears a tenant's rate limit.
    public func setRateLimit(_ id: String, perSecond: Double?, burst: Int?) async throws -> Tenant {
        guard try await store.setTenantRateLimit(id: id, perSecond: perSecond, burst: burst) else { throw RecError.notFound("tenant") }
        authenticator?.invalidate(tenantID: id)
        return try await require(id)
    }

    /// What issuing a key answers: the key, shown once.
    public struct IssuedKey: Encodable, Sendable {
        /// The key's id.
        public let key_id: String
        /// The key itself.
        public let api_key: String
        /// Its scopes.
        public let scopes: [String]
        /// Its label.
        public let name: String?
    }

    /// Issues a new key for an existing tenant.
    public func issueKey(tenantID: String, scopes: [Scope], name: String?) async throws -> IssuedKey {
        let tenant = try await require(tenantID)
        let issued = APIKeyCodec.issue(tenantID: tenant.id, scopes: Array(Set(scopes)), name: name, now: WallClock.nowMillis())
        try await store.insertKey(issued.record)
        return IssuedKey(key_id: issued.record.id, api_key: issued.key, scopes: issued.record.scopes.map(\.rawValue), name: name)
    }

    /// Revokes a key; 404 when the tenant has no such key.
    public func revokeKey(tenantID: String, keyID: String) async throws {
        guard try await store.revokeKey(tenantID: tenantID, keyID: keyID, at: WallClock.nowMillis()) else { throw RecError.notFound("key") }
        authenticator?.invalidate(tenantID: tenantID)
    }
}
