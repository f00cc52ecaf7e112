/// How the model monitors run and when they alert.
public struct MonitorSettings: Sendable, Equatable {
    /// Time between monitor cycles.
    public var interval: Duration = .seconds(60)
    /// How long after a list is served its user's interactions count towards it (online NDCG, hit rate).
    public var attributionMillis: Int64 = 30 * 60_000
    /// PSI above which a feature drifts.
    public var psiThreshold = 0.2
    /// Jensen–Shannon divergence (bits) above which a feature drifts.
    public var jsThreshold = 0.1
    /// Live events needed before drift is judged (fewer are mostly noise).
    public var minimumLiveEvents = 500
    /// Extra age beyond a training schedule's interval before a model counts as stale.
    public var freshnessGraceSeconds = 3_600.0

    /// The defaults.
    public init() {}
}
