import RecCore
import RecStore
import RecTelemetry
import Synchronization

/// Resolves a bearer key to its caller, with a short cache so hot paths do not hit the store on every request.
///
/// Revocations and suspensions made through this instance take effect at once; made through another replica,
/// within `cacheTTL`.
public final class KeyAuthenticator: Sendable {
    private struct Entry {
        let record: APIKeyRecord
        let tenant: Tenant
        let expires: ContinuousClock.Instant
    }

    private let store: RecordStore
    private let metrics: AccessMetrics
    private let cacheTTL: Duration
    /// How long past its expiry a cached key is still honoured while the database is unavailable.
    static let staleGrace: Duration = .seconds(900)
    private let cache = Mutex<(entries: [String: Entry], generation: Int)>(([:], 0))

    /// Creates an authenticator over `store`.
    public init(store: RecordStore, metrics: AccessMetrics, cacheTTL: Duration = .seconds(2)) {
        self.store = store
        self.metrics = metrics
        self.cacheTTL = cacheTTL
    }

    /// The caller for an `Authorization` header value, or a 401/403 error (counted by reason).
    public func authenticate(authorization: String?) async throws -> Caller {
        guard let authorization, !authorization.isEmpty else {
            metrics.authFailure(.missing)
            throw RecError.unauthorized("missing Authorization: Bearer <api key> header")
        }
        guard authorization.lowercased().hasPrefix("bearer "), let prefix = APIKeyCodec.prefix(of: String(authorization.dropFirst(7)).trimmingSpaces) else {
            metrics.authFailure(.malformed)
            throw RecError.unauthorized("the Authorization header must be 'Bearer <api key>'")
        }
        let key = String(authorization.dropFirst(7)).trimmingSpaces
        guard let (record, tenant) = try await lookup(prefix: prefix),
              APIKeyCodec.constantTimeEqual(record.hash, APIKeyCodec.hash(key))
        else {
            metrics.authFailure(.unknownKey)
            throw RecError.unauthorized("unknown API key")
        }
        if record.revokedAt != nil {
            metrics.authFailure(.revoked)
            throw RecError.unauthorized("this API key has been revoked")
        }
        if tenant.status == .suspended {
            metrics.authFailure(.suspended)
            throw RecError.forbidden("this tenant is suspended")
        }
        let limit = tenant.rateLimitPerSecond.map { RateLimit(perSecond: $0, burst: tenant.rateLimitBurst) }
        return Caller(tenantID: tenant.id, keyID: record.id, scopes: Set(record.scopes), rateLimit: limit)
    }

    /// Drops cached entries (all, or one tenant's) after a change to keys or tenants.
    public func invalidate(tenantID: String? = nil) {
        cache.withLock { cache in
            // A lookup that read the store before this change must not put its stale answer back.
            cache.generation += 1
            if let tenantID {
                cache.entries = cache.entries.filter { $0.value.tenant.id != tenantID }
            } else {
                cache.entries.removeAll()
            }
        }
    }

    private func lookup(prefix: String) async throws -> (APIKeyRecord, Tenant)? {
        let now = ContinuousClock.now
        let (cached, generation) = cache.withLock { ($0.entries[prefix], $0.generation) }
        if let cached, cached.expires > now {
            return (cached.record, cached.tenant)
        }
        let found: (APIKeyRecord, Tenant)?
        do {
            found = try await store.keyWithTenant(prefix: prefix)
        } catch let error as StoreError where error.code == .unavailable {
            // The database is down: a key seen in the last minutes keeps working, so serving goes on from memory. Its
            // revocation or its tenant's suspension cannot have happened since: both are writes to the database.
            // Read again: an entry a change invalidated meanwhile (a suspension, a revocation) is gone from the cache.
            if let stale = cache.withLock({ $0.entries[prefix] }), now < stale.expires + Self.staleGrace { return (stale.record, stale.tenant) }
            throw error
        }
        guard let (record, tenant) = found else { return nil }
        cache.withLock { cache in
            guard cache.generation == generation else { return }
            if cache.entries.count > 10_000 { cache.entries.removeAll() }
            cache.entries[prefix] = Entry(record: record, tenant: tenant, expires: now + cacheTTL)
        }
        return (record, tenant)
    }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while view.first == " " { view.removeFirst() }
        while view.last == " " { view.removeLast() }
        return String(view)
    }
}
