import Prometheus

/// Model monitors: offline deltas, online quality, drift, unknown-entity shares, served scores and model age.
public final class MonitorMetrics: Sendable {
    struct TenantKey: Hashable, Sendable {
        let tenant: String
        let a: String
        let b: String
    }

    private let offlineDelta: MetricCache<TenantKey, Gauge>
    private let online: MetricCache<OnlineKey, Gauge>
    private let psi: MetricCache<TenantKey, Gauge>
    private let js: MetricCache<TenantKey, Gauge>
    private let unknown: MetricCache<TenantKey, Gauge>
    private let age: MetricCache<String, Gauge>
    private let fresh: MetricCache<String, Gauge>
    private let threshold: MetricCache<String, Gauge>
    private let scores: MetricCache<String, ValueHistogram>
    private let registry: PrometheusCollectorRegistry

    struct OnlineKey: Hashable, Sendable {
        let name: String
        let tenant: String
        let version: String
        let window: String
    }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        offlineDelta = MetricCache { key in
            registry.makeGauge(name: "rec_model_offline_metric_delta", labels: [("tenant", key.tenant), ("model", key.a), ("metric", key.b)], help: "Offline metric of the newest trained version minus the serving version's.")
        }
        online = MetricCache { key in
            let help = switch key.name {
            case "rec_online_ndcg": "NDCG@10 of served lists against the interactions that followed them (lists with at least one)."
            case "rec_online_hit_rate": "Share of served lists followed by an interaction with one of their items."
            default: "Served lists whose attribution window closed, evaluated over the window."
            }
            return registry.makeGauge(name: key.name, labels: [("tenant", key.tenant), ("version", key.version), ("window", key.window)], help: help)
        }
        psi = MetricCache { key in
            registry.makeGauge(name: "rec_drift_psi", labels: [("tenant", key.tenant), ("feature", key.a)], help: "Population stability index of the live interaction stream against the serving model's training snapshot.")
        }
        js = MetricCache { key in
            registry.makeGauge(name: "rec_drift_js_divergence", labels: [("tenant", key.tenant), ("feature", key.a)], help: "Jensen-Shannon divergence (base 2) of the live interaction stream against the training snapshot.")
        }
        unknown = MetricCache { key in
            registry.makeGauge(name: "rec_unknown_request_ratio", labels: [("tenant", key.tenant), ("kind", key.a)], help: "Share of requests about users (recommendations) or items (similar) the serving model does not know.")
        }
        age = MetricCache { tenant in
            registry.makeGauge(name: "rec_serving_model_age_seconds", labels: [("tenant", tenant)], help: "Age of the serving model (since its training snapshot).")
        }
        fresh = MetricCache { tenant in
            registry.makeGauge(name: "rec_serving_model_fresh", labels: [("tenant", tenant)], help: "1 when a scheduled tenant's serving model is younger than its schedule allows, else 0.")
        }
        threshold = MetricCache { statistic in
            registry.makeGauge(name: "rec_drift_threshold", labels: [("statistic", statistic)], help: "The drift alert threshold of each statistic (psi, js).")
        }
        scores = MetricCache { kind in
            registry.makeValueHistogram(name: "rec_served_score", labels: [("kind", kind)], buckets: [-1, 0, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 10, 100], help: "Score of the first item of each served list.")
        }
    }

    /// Sets one offline delta.
    public func setOfflineDelta(tenant: String, model: String, metric: String, value: Double) {
        offlineDelta(TenantKey(tenant: tenant, a: model, b: metric)).set(value)
    }

    /// Sets online NDCG, hit rate and the lists evaluated for one tenant, version and window.
    public func setOnline(tenant: String, version: String, window: String, ndcg: Double, hitRate: Double, lists: Int) {
        online(OnlineKey(name: "rec_online_ndcg", tenant: tenant, version: version, window: window)).set(ndcg)
        online(OnlineKey(name: "rec_online_hit_rate", tenant: tenant, version: version, window: window)).set(hitRate)
        online(OnlineKey(name: "rec_online_lists_evaluated", tenant: tenant, version: version, window: window)).set(Double(lists))
    }

    /// Removes a version's online series (it served nothing for a day).
    public func removeOnline(tenant: String, version: String) {
        for name in ["rec_online_ndcg", "rec_online_hit_rate", "rec_online_lists_evaluated"] {
            for window in ["1h", "1d"] {
                if let gauge = online.remove(OnlineKey(name: name, tenant: tenant, version: version, window: window)) {
                    registry.unregisterGauge(gauge)
                }
            }
        }
    }

    /// Sets one feature's drift statistics.
    public func setDrift(tenant: String, feature: String, psi value: Double, js divergence: Double) {
        psi(TenantKey(tenant: tenant, a: feature, b: "")).set(value)
        js(TenantKey(tenant: tenant, a: feature, b: "")).set(divergence)
    }

    /// Sets the drift thresholds.
    public func setThresholds(psi: Double, js: Double) {
        threshold("psi").set(psi)
        threshold("js").set(js)
    }

    /// Sets the share of requests about unknown users or items.
    public func setUnknown(tenant: String, kind: String, ratio: Double) {
        unknown(TenantKey(tenant: tenant, a: kind, b: "")).set(ratio)
    }

    /// Sets a tenant's serving model age and, for scheduled tenants, whether it is fresh.
    public func setAge(tenant: String, seconds: Double, fresh isFresh: Bool?) {
        age(tenant).set(seconds)
        if let isFresh { fresh(tenant).set(isFresh ? 1.0 : 0.0) }
    }

    /// Records the first item's score of a served list.
    public func servedScore(kind: String, _ score: Double) {
        scores(kind).record(score)
    }
}
