import Synchronization

/// Per-tenant token buckets held in memory (each replica limits independently).
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let defaultLimit: RateLimit?
    private let buckets = Mutex<[String: Bucket]>([:])

    /// Creates a limiter; `defaultLimit` nil means tenants without their own limit are not limited.
    public init(defaultLimit: RateLimit?) {
        self.defaultLimit = defaultLimit
    }

    /// Takes one token for `tenantID`; returns nil when allowed, else the whole seconds to wait.
    public func take(tenantID: String, limit: RateLimit?, now: ContinuousClock.Instant = .now) -> Int? {
        guard let limit = limit ?? defaultLimit, limit.perSecond > 0 else { return nil }
        return buckets.withLock { buckets in
            var bucket = buckets[tenantID] ?? Bucket(tokens: Double(limit.burst), updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(limit.burst), bucket.tokens + seconds * limit.perSecond)
            bucket.updated = now
            defer { buckets[tenantID] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / limit.perSecond).rounded(.up)))
        }
    }
}
