import RecTelemetry

/// Thrown by a ranking run inline (on an event loop) when it finds it must walk much of the catalogue: the engine
/// runs the whole ranking again on the compute pool, where walking is allowed.
public struct RankingDeferred: Error, Sendable {
    /// What would have walked the catalogue.
    public let reason: RankingMetrics.DeferReason

    /// A deferral for `reason`.
    public init(_ reason: RankingMetrics.DeferReason) {
        self.reason = reason
    }
}
