import RecCore

extension RecordStore {
    /// Creates a tenant with its first key and the default interaction types; throws `StoreError.nameTaken` when the
    /// name is taken.
    public func createTenant(_ tenant: Tenant, firstKey: APIKeyRecord) async throws {
        try await measure("create_tenant") {
            do {
                try await database.transaction { db in
                    try await db.execute("""
                        INSERT INTO tenants (id, name, status, created_at, rate_limit_per_second, rate_limit_burst)
                        VALUES (\(tenant.id), \(tenant.name), \(tenant.status.rawValue), \(tenant.createdAt), \(tenant.rateLimitPerSecond), \(tenant.rateLimitBurst.map(Int64.init)))
                        """)
                    try await Self.insertKey(firstKey, into: db)
                    for type in InteractionType.defaults {
                        try await db.execute("INSERT INTO interaction_types (tenant_id, name, weight, requires_value) VALUES (\(tenant.id), \(type.name), \(type.weight), \(type.requiresValue))")
                    }
                }
            } catch let error as StoreError where error.isUniqueViolation {
                throw StoreError.nameTaken(tenant.name)
            }
        }
    }

    /// Every tenant, oldest first.
    public func tenants() async throws -> [Tenant] {
        try await measure("list_tenants") {
            try await database.query("SELECT * FROM tenants ORDER BY created_at, id").map(Self.tenant)
        }
    }

    /// One tenant by id.
    public func tenant(id: String) async throws -> Tenant? {
        try await measure("get_tenant") {
            try await database.query("SELECT * FROM tenants WHERE id = \(id)").first.map(Self.tenant)
        }
    }

    /// Changes a tenant's status; false when there is no such tenant.
    public func setTenantStatus(id: String, _ status: Tenant.Status) async throws -> Bool {
        try await measure("set_tenant_status") {
            !(try await database.query("UPDATE tenants SET status = \(status.rawValue) WHERE id = \(id) RETURNING id")).isEmpty
        }
    }

    /// Sets (or clears, with nil) a tenant's rate limit; false when there is no such tenant.
    public func setTenantRateLimit(id: String, perSecond: Double?, burst: Int?) async throws -> Bool {
        try await measure("set_tenant_rate_limit") {
            !(try await database.query("""
                UPDATE tenants SET rate_limit_per_second = \(perSecond), rate_limit_burst = \(burst.map(Int64.init)) WHERE id = \(id) RETURNING id
                """)).isEmpty
        }
    }

    /// Stores a new key for an existing tenant.
    public func insertKey(_ key: APIKeyRecord) async throws {
        try await measure("insert_key") {
            try await database.transaction { db in try await Self.insertKey(key, into: db) }
        }
    }

    /// The keys of a tenant (hashes included; callers must not expose them).
    public func keys(tenantID: String) async throws -> [APIKeyRecord] {
        try await measure("list_keys") {
            try await database.query("SELECT * FROM api_keys WHERE tenant_id = \(tenantID) ORDER BY created_at, id").map(Self.key)
        }
    }

    /// Revokes a key of a tenant; false when the tenant has no such key.
    public func revokeKey(tenantID: String, keyID: String, at time: Int64) async throws -> Bool {
        try await measure("revoke_key") {
            !(try await database.query("""
                UPDATE api_keys SET revoked_at = COALESCE(revoked_at, \(time)) WHERE id = \(keyID) AND tenant_id = \(tenantID) RETURNING id
                """)).isEmpty
        }
    }

    /// The key with `prefix` and its tenant, for authentication.
    public func keyWithTenant(prefix: String) async throws -> (APIKeyRecord, Tenant)? {
        try await measure("lookup_key") {
            guard let keyRow = try await database.query("SELECT * FROM api_keys WHERE prefix = \(prefix)").first else { return nil }
            let key = try Self.key(keyRow)
            guard let tenantRow = try await database.query("SELECT * FROM tenants WHERE id = \(key.tenantID)").first else { return nil }
            return (key, try Self.tenant(tenantRow))
        }
    }

    static func insertKey(_ key: APIKeyRecord, into db: any SQLExecutor) async throws {
        try await db.execute("""
            INSERT INTO api_keys (id, tenant_id, prefix, hash, scopes, name, created_at, revoked_at)
            VALUES (\(key.id), \(key.tenantID), \(key.prefix), \(key.hash), \(key.scopes.map(\.rawValue).joined(separator: ",")), \(key.name), \(key.createdAt), \(key.revokedAt))
            """)
    }

    static func tenant(_ row: SQLRow) throws -> Tenant {
        Tenant(
            id: try row.requiredString("id"),
            name: try row.requiredString("name"),
            status: Tenant.Status(rawValue: try row.requiredString("status")) ?? .suspended,
            createdAt: try row.requiredInt("created_at"),
            rateLimitPerSecond: row.double("rate_limit_per_second"),
            rateLimitBurst: row.int("rate_limit_burst").map(Int.init)
        )
    }

    static func key(_ row: SQLRow) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.requiredString("id"),
            tenantID: try row.requiredString("tenant_id"),
            prefix: try row.requiredString("prefix"),
            hash: row.bytes("hash") ?? [],
            scopes: (row.string("scopes") ?? "").split(separator: ",").compactMap { Scope(rawValue: String($0)) },
            name: row.string("name"),
            createdAt: try row.requiredInt("created_at"),
            revokedAt: row.int("revoked_at")
        )
    }
}
