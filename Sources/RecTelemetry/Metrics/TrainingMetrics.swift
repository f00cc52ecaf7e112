import Prometheus

/// Model training: durations by model and stage, the last loss and offline metrics per tenant and model kind,
/// and job leases that expired (a trainer died or stalled).
public final class TrainingMetrics: Sendable {
    struct StageKey: Hashable, Sendable {
        let model: String
        let stage: String
    }

    struct TenantKey: Hashable, Sendable {
        let tenant: String
        let model: String
    }

    struct MetricKey: Hashable, Sendable {
        let tenant: String
        let model: String
        let metric: String
    }

    private let durations: MetricCache<String, DurationHistogram>
    private let stages: MetricCache<StageKey, DurationHistogram>
    private let losses: MetricCache<TenantKey, Gauge>
    private let offline: MetricCache<MetricKey, Gauge>
    private let expirations: MetricCache<String, Counter>

    init(registry: PrometheusCollectorRegistry) {
        let buckets: [Duration] = [.milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300), .seconds(900), .seconds(3600)]
        durations = MetricCache { model in
            registry.makeDurationHistogram(name: "rec_training_duration_seconds", labels: [("model", model)], buckets: buckets, help: "Wall time of successful trainings, snapshot to saved artifact.")
        }
        stages = MetricCache { key in
            registry.makeDurationHistogram(name: "rec_training_stage_duration_seconds", labels: [("model", key.model), ("stage", key.stage)], buckets: buckets, help: "Wall time of each training stage.")
        }
        losses = MetricCache { key in
            registry.makeGauge(name: "rec_model_training_loss", labels: [("tenant", key.tenant), ("model", key.model)], help: "Training loss after the last epoch of the latest training.")
        }
        offline = MetricCache { key in
            registry.makeGauge(name: "rec_model_offline_metric", labels: [("tenant", key.tenant), ("model", key.model), ("metric", key.metric)], help: "Offline metrics of the latest trained version on its holdout.")
        }
        expirations = MetricCache { kind in
            registry.makeCounter(name: "rec_job_lease_expirations_total", labels: [("kind", kind)], help: "Jobs taken over after their lease expired.")
        }
        // Zero from the start, so rate() and alert rules see the series before the first expiry.
        for kind in ["train", "import"] { _ = expirations(kind) }
    }

    /// Records a successful training's duration.
    public func trained(model: String, duration: Duration) {
        durations(model).record(duration)
    }

    /// Records one stage's duration.
    public func stage(model: String, stage: String, duration: Duration) {
        stages(StageKey(model: model, stage: stage)).record(duration)
    }

    /// Sets the last loss of a tenant's model kind.
    public func setLoss(tenant: String, model: String, _ value: Double) {
        losses(TenantKey(tenant: tenant, model: model)).set(value)
    }

    /// Sets an offline metric (`recall@20`, `ndcg@20`, …) of a tenant's latest version of a model kind.
    public func setOfflineMetric(tenant: String, model: String, metric: String, _ value: Double) {
        offline(MetricKey(tenant: tenant, model: model, metric: metric)).set(value)
    }

    /// Counts a job of `kind` leased again after its lease expired.
    public func leaseExpired(kind: String) {
        expirations(kind).increment()
    }
}
