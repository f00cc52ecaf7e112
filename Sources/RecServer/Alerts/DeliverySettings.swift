import RecModels

/// How webhook deliveries are retried.
public struct DeliverySettings: Sendable, Equatable {
    /// The first retry's delay; each further retry doubles it (with jitter), up to `maxDelay`.
    public var baseDelay: Duration = .seconds(5)
    /// The longest wait between attempts.
    public var maxDelay: Duration = .seconds(3_600)
    /// Attempts before a delivery is abandoned: with the default delays, 30 attempts span 11 to 21 hours (jitter).
    public var maxAttempts = 30
    /// How long a receiver may take to answer.
    public var timeout: Duration = .seconds(10)
    /// How often the outbox is checked when nothing wakes the sender.
    public var pollInterval: Duration = .seconds(1)
    /// Whether webhook URLs may point at loopback and private addresses (`RECOMMENDER_WEBHOOK_ALLOW_PRIVATE=1`).
    public var allowPrivate = false

    /// The defaults.
    public init() {}

    /// The wait before attempt `attempts + 1`: `baseDelay · 2^attempts`, capped, times a random factor in [0.5, 1].
    func delay(afterAttempts attempts: Int) -> Duration {
        let seconds = min(maxDelay.seconds, baseDelay.seconds * Double(1 << min(attempts, 30))) * Double.random(in: 0.5...1)
        return .milliseconds(Int64(seconds * 1_000))
    }
}
