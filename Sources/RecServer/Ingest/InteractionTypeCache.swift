import RecCore
import RecStore
import Synchronization

/// Each tenant's interaction types, cached for a short time so event ingestion does not read them on every request.
///
/// A change made through this instance is visible at once; one made through another replica within `ttl`.
final class InteractionTypeCache: Sendable {
    private struct Entry {
        let types: [InteractionType]
        let expires: ContinuousClock.Instant
    }

    private let store: RecordStore
    private let ttl: Duration
    private let entries = Mutex<[String: Entry]>([:])

    init(store: RecordStore, ttl: Duration = .seconds(2)) {
        self.store = store
        self.ttl = ttl
    }

    /// The tenant's types, from the cache while fresh.
    func types(tenantID: String) async throws -> [InteractionType] {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[tenantID] }), entry.expires > now { return entry.types }
        let types = try await store.interactionTypes(tenantID: tenantID)
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[tenantID] = Entry(types: types, expires: now + ttl)
        }
        return types
    }

    /// Forgets a tenant's cached types after a change.
    func invalidate(tenantID: String) {
        _ = entries.withLock { $0.removeValue(forKey: tenantID) }
    }
}
