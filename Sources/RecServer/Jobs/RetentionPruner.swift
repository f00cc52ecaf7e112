import Logging
import RecCore
import RecStore
import ServiceLifecycle

/// Deletes what is kept only for a while, hourly, so those tables stay bounded: idempotency records after 24 hours,
/// served lists after their retention (`RECOMMENDER_SERVED_RETENTION_DAYS`), in batches of a tenant's oldest.
public struct RetentionPruner: Service {
    /// How long a retry is recognised: 24 hours.
    public static let idempotencyRetentionMillis: Int64 = 24 * 3_600_000
    /// Served lists deleted by one statement.
    static let servedBatch = 5_000

    let store: RecordStore
    let readiness: Readiness
    /// How long served lists are kept.
    let servedRetentionMillis: Int64
    let logger: Logger

    /// Prunes until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if readiness.migrated { await prune() }
                try? await Task.sleep(for: .seconds(3_600))
            }
        }
    }

    /// One round over both tables; a failure skips only its table or tenant until the next round.
    func prune() async {
        let now = WallClock.nowMillis()
        do {
            try await store.pruneIdempotencyKeys(before: now - Self.idempotencyRetentionMillis)
        } catch {
            logger.warning("idempotency pruning failed", metadata: ["error": "\(error)"])
        }
        let tenants: [Tenant]
        do {
            tenants = try await store.tenants()
        } catch {
            logger.warning("served list pruning failed", metadata: ["error": "\(error)"])
            return
        }
        var deleted = 0
        for tenant in tenants where !Task.isCancelled {
            do {
                while !Task.isCancelled {
                    let count = try await store.pruneServedLists(tenantID: tenant.id, before: now - servedRetentionMillis, limit: Self.servedBatch)
                    deleted += count
                    if count < Self.servedBatch { break }
                    try? await Task.sleep(for: .milliseconds(20))  // room for the served-list writer between batches
                }
            } catch {
                logger.warning("served list pruning failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
        }
        if deleted > 0 { logger.info("served lists pruned", metadata: ["rec.deleted": "\(deleted)"]) }
    }
}
