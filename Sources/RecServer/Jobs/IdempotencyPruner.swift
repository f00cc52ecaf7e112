import Logging
import RecCore
import RecStore
import ServiceLifecycle

/// Deletes idempotency records older than the retention window, hourly, so the table stays bounded.
public struct IdempotencyPruner: Service {
    /// How long a retry is recognised: 24 hours.
    public static let retentionMillis: Int64 = 24 * 3_600_000

    let store: RecordStore
    let readiness: Readiness
    let logger: Logger

    /// Prunes until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if readiness.migrated {
                    do {
                        try await store.pruneIdempotencyKeys(before: WallClock.nowMillis() - Self.retentionMillis)
                    } catch {
                        logger.warning("idempotency pruning failed", metadata: ["error": "\(error)"])
                    }
                }
                try? await Task.sleep(for: .seconds(3_600))
            }
        }
    }
}
