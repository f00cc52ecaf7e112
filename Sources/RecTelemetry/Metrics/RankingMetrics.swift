import Prometheus

/// The serving core's own health: index searches that failed (and were answered by an exact scan), rankings moved
/// off the event loops because they walk the catalogue, and the interaction histories held in memory.
public final class RankingMetrics: Sendable {
    /// Why a ranking ran on the compute pool instead of inline.
    public enum DeferReason: String, Sendable, CaseIterable {
        /// A property filter without a category: every item is checked.
        case propertyScan = "property_scan"
        /// The index answered short, so every eligible item is scanned exactly.
        case indexShort = "index_short"
        /// A large category scanned exactly.
        case categoryScan = "category_scan"
        /// A history model scores every item.
        case historyScoring = "history_scoring"
        /// The popularity top-up walks far down the ranking.
        case fallbackWalk = "fallback_walk"
    }

    private let searchFailures: [String: Counter]
    private let deferred: [DeferReason: Counter]
    private let historyBytes: Gauge
    private let historyInteractions: Gauge
    private let historyCap: Gauge
    private let historyTrimmed: Counter

    init(registry: PrometheusCollectorRegistry) {
        // Every label value is known: export each at 0 from the start, so rules and dashboards see the series.
        var failures: [String: Counter] = [:]
        for path in ["flat", "hnsw"] {
            failures[path] = registry.makeCounter(name: "rec_ann_search_failures_total", labels: [("path", path)], help: "FAISS searches that failed (the list was answered by an exact scan instead), by index kind.")
        }
        searchFailures = failures
        var reasons: [DeferReason: Counter] = [:]
        for reason in DeferReason.allCases {
            reasons[reason] = registry.makeCounter(name: "rec_ranking_deferred_total", labels: [("reason", reason.rawValue)], help: "Rankings moved off the event loops to the compute pool because they walk much of the catalogue, by reason.")
        }
        deferred = reasons
        historyBytes = registry.makeGauge(name: "rec_serving_history_bytes", help: "Bytes of interaction history held in memory for serving (every loaded tenant).")
        historyInteractions = registry.makeGauge(name: "rec_serving_history_interactions", help: "Interactions held in memory for serving (every loaded tenant).")
        historyCap = registry.makeGauge(name: "rec_serving_history_cap", help: "The most recent interactions kept per user for serving (RECOMMENDER_HISTORY_CAP).")
        historyTrimmed = registry.makeCounter(name: "rec_serving_history_trimmed_total", help: "Interactions dropped from users' in-memory histories because they exceeded the cap.")
    }

    /// Counts a failed index search of `kind` (`flat` or `hnsw`).
    public func searchFailed(kind: String) {
        searchFailures[kind]?.increment()
    }

    /// Counts a ranking moved to the compute pool.
    public func deferredRanking(_ reason: DeferReason) {
        deferred[reason]?.increment()
    }

    /// Sets the per-user history cap.
    public func historyCap(_ cap: Int) {
        historyCap.set(Double(cap))
    }

    /// Adds to (or, negative, subtracts from) what the histories hold.
    public func historyChanged(bytes: Int, interactions: Int, trimmed: Int) {
        if bytes != 0 { historyBytes.increment(by: Double(bytes)) }
        if interactions != 0 { historyInteractions.increment(by: Double(interactions)) }
        if trimmed > 0 { historyTrimmed.increment(by: Int64(trimmed)) }
    }
}
