import Prometheus
import Synchronization

/// Serving: index searches (duration, candidates examined), how much of the catalogue filters rejected, the source
/// of every served list (the fallback ratio is its `fallback` share), fold-in duration, and the version served (one
/// `rec_serving_model_info` series per tenant: a version's series goes when another replaces it).
public final class ServingMetrics: Sendable {
    struct ServedKey: Hashable, Sendable {
        let kind: String
        let source: String
    }
    struct VersionKey: Hashable, Sendable {
        let tenant: String
        let version: String
        let model: String
    }

    private let searches: MetricCache<String, DurationHistogram>
    private let candidates: MetricCache<String, ValueHistogram>
    private let rejection: ValueHistogram
    private let served: MetricCache<ServedKey, Counter>
    private let foldIn: DurationHistogram
    private let registry: PrometheusCollectorRegistry
    /// The version each tenant serves and its gauge; changed only under the lock, so two swaps never interleave.
    private let current = Mutex<[String: (key: VersionKey, gauge: Gauge)]>([:])
    private let loads: MetricCache<String, DurationHistogram>
    private let dropped: Counter

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        let fast: [Duration] = [
            .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100),
        ]
        searches = MetricCache { path in
            registry.makeDurationHistogram(name: "rec_ann_search_duration_seconds", labels: [("path", path)], buckets: fast, help: "Item search time by path: scan (norm-ordered exact scan that proved its answer), scan_unproven (one that handed over to the index), hnsw or flat (FAISS), exact (a scan of the filtered candidates), graph_filter (the graph filter's bounded exact ranking).")
        }
        candidates = MetricCache { path in
            registry.makeValueHistogram(name: "rec_ann_candidates_examined", labels: [("path", path)], buckets: [10, 100, 1_000, 10_000, 100_000, 1_000_000], help: "Vectors scored per search (for HNSW: its candidate list size, efSearch).")
        }
        rejection = registry.makeValueHistogram(name: "rec_filter_rejection_ratio", buckets: [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1], help: "Share of the model's items a request's filters, exclusions and availability ruled out.")
        served = MetricCache { key in
            registry.makeCounter(name: "rec_served_lists_total", labels: [("kind", key.kind), ("source", key.source)], help: "Lists served by kind (recommendations, similar) and source (model, fold_in, fallback).")
        }
        foldIn = registry.makeDurationHistogram(name: "rec_fold_in_duration_seconds", buckets: fast, help: "Time to solve a user's factor from their current interactions.")
        loads = MetricCache { model in
            registry.makeDurationHistogram(name: "rec_serving_model_load_duration_seconds", labels: [("model", model)], buckets: [.milliseconds(10), .milliseconds(100), .seconds(1), .seconds(5), .seconds(30), .seconds(120)], help: "Time to load a promoted version (artifact, indexes) and swap it in.")
        }
        dropped = registry.makeCounter(name: "rec_served_lists_unrecorded_total", help: "Served lists not recorded for attribution because the write queue was full or the store failed.")
        // Zero from the start, so the fallback ratio and rate() see every kind and source before the first list.
        for kind in Self.servedKinds {
            for source in Self.servedSources { _ = served(ServedKey(kind: kind, source: source)) }
        }
    }

    /// The kinds of lists served.
    public static let servedKinds = ["recommendations", "similar"]
    /// Where a served list comes from (the serving layer's `ServedSource` values).
    public static let servedSources = ["model", "fold_in", "fallback"]

    /// Records one search.
    public func searched(path: String, duration: Duration, examined: Int) {
        searches(path).record(duration)
        candidates(path).record(Double(examined))
    }

    /// Records the share of items filters ruled out.
    public func filtered(rejectedShare: Double) {
        rejection.record(rejectedShare)
    }

    /// Counts a served list of `kind` (one of `servedKinds`) from `source` (one of `servedSources`).
    public func served(kind: String, source: String) {
        served(ServedKey(kind: kind, source: source)).increment()
    }

    /// Records a fold-in.
    public func foldedIn(duration: Duration) {
        foldIn.record(duration)
    }

    /// Marks `version` as the one `tenant` serves; the series of the version it served before is removed.
    public func serving(tenant: String, version: String, model: String) {
        let key = VersionKey(tenant: tenant, version: version, model: model)
        current.withLock { current in
            if let previous = current[tenant] {
                guard previous.key != key else { return }
                registry.unregisterGauge(previous.gauge)
            }
            let gauge = registry.makeGauge(
                name: "rec_serving_model_info", labels: [("tenant", key.tenant), ("version", key.version), ("model", key.model)],
                help: "1 for the version each tenant serves (one series per tenant)."
            )
            gauge.set(Double(1))
            current[tenant] = (key, gauge)
        }
    }

    /// Records a version load.
    public func loaded(model: String, duration: Duration) {
        loads(model).record(duration)
    }

    /// Counts served lists that could not be recorded.
    public func unrecorded(_ count: Int) {
        dropped.increment(by: Int64(count))
    }
}
