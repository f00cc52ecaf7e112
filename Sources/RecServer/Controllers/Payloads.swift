import RecCore

/// The JSON form of an item.
struct ItemPayload: Encodable {
    let item_id: String
    let title: String?
    let category: String?
    let tags: [String]
    let properties: [String: JSONValue]
    let available: Bool
    let updated_at: String

    init(_ item: Item) {
        item_id = item.itemID
        title = item.title
        category = item.category
        tags = item.tags
        properties = item.properties
        available = item.available
        updated_at = Timestamp.formatRFC3339(item.updatedAt)
    }
}

/// The JSON form of a user.
struct UserPayload: Encodable {
    let user_id: String
    let properties: [String: JSONValue]
    let updated_at: String

    init(_ user: User) {
        user_id = user.userID
        properties = user.properties
        updated_at = Timestamp.formatRFC3339(user.updatedAt)
    }
}

/// The JSON form of a job.
struct JobPayload: Encodable {
    let job_id: String
    let kind: String
    let status: String
    let progress: Double
    let accepted: Int
    let rejected: Int
    let errors: [RowErrorPayload]
    let message: String?
    let params: [String: JSONValue]
    let created_at: String
    let started_at: String?
    let finished_at: String?
    let stage: String?
    let model_version: String?
    let result: [String: JSONValue]?

    init(_ job: Job) {
        job_id = job.id
        kind = job.kind
        status = job.status.rawValue
        progress = job.progress
        accepted = job.accepted
        rejected = job.rejected
        errors = job.errors.map(RowErrorPayload.init)
        message = job.message
        params = job.params.filter { $0.key != "spool_path" }
        created_at = Timestamp.formatRFC3339(job.createdAt)
        started_at = job.startedAt.map(Timestamp.formatRFC3339)
        finished_at = job.finishedAt.map(Timestamp.formatRFC3339)
        stage = job.stage
        model_version = job.result["model_version"]?.stringValue
        result = job.result.isEmpty ? nil : job.result
    }
}

/// One row error of an import, by line number.
struct RowErrorPayload: Encodable {
    let line: Int
    let field: String
    let message: String

    init(_ error: RowError) {
        line = error.index
        field = error.field
        message = error.message
    }
}

/// The JSON form of a tenant.
struct TenantPayload: Encodable {
    let tenant_id: String
    let name: String
    let status: String
    let created_at: String
    let rate_limit: RateLimitPayload?

    init(_ tenant: Tenant) {
        tenant_id = tenant.id
        name = tenant.name
        status = tenant.status.rawValue
        created_at = Timestamp.formatRFC3339(tenant.createdAt)
        rate_limit = tenant.rateLimitPerSecond.map { RateLimit(perSecond: $0, burst: tenant.rateLimitBurst) }.map { RateLimitPayload(per_second: $0.perSecond, burst: $0.burst) }
    }
}

/// A tenant's token-bucket limit.
struct RateLimitPayload: Encodable {
    let per_second: Double
    let burst: Int
}

/// The JSON form of a key (never the key itself).
struct KeyPayload: Encodable {
    let key_id: String
    let prefix: String
    let scopes: [String]
    let name: String?
    let created_at: String
    let revoked_at: String?

    init(_ key: APIKeyRecord) {
        key_id = key.id
        prefix = key.prefix
        scopes = key.scopes.map(\.rawValue)
        name = key.name
        created_at = Timestamp.formatRFC3339(key.createdAt)
        revoked_at = key.revokedAt.map(Timestamp.formatRFC3339)
    }
}

/// A count of stored rows.
struct AcceptedPayload: Encodable {
    let accepted: Int
}
