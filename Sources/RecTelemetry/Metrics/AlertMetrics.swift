import Prometheus

/// The alert manager's and the webhook outbox's metrics.
public final class AlertMetrics: Sendable {
    struct AlertKey: Hashable, Sendable {
        let name: String
        let severity: String
    }

    private let firing: MetricCache<AlertKey, Gauge>
    private let deliveries: MetricCache<String, Counter>
    /// Time from sending a delivery to the receiver's answer (or the failure).
    public let deliveryDuration: DurationHistogram
    /// Deliveries waiting in the outbox.
    public let outboxDepth: Gauge
    /// Transitions (firing or resolved) queued for delivery.
    private let transitions: MetricCache<String, Counter>

    init(registry: PrometheusCollectorRegistry) {
        firing = MetricCache { key in
            registry.makeGauge(name: "rec_alerts_firing", labels: [("alertname", key.name), ("severity", key.severity)], help: "Alerts firing now, by name and severity.")
        }
        deliveries = MetricCache { outcome in
            registry.makeCounter(name: "rec_webhook_deliveries_total", labels: [("outcome", outcome)], help: "Webhook delivery attempts by outcome: delivered, retried (failed, will retry), abandoned (failed for the last time).")
        }
        deliveryDuration = registry.makeDurationHistogram(
            name: "rec_webhook_delivery_duration_seconds", buckets: [.milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10)],
            help: "Time a webhook receiver took to answer a delivery."
        )
        outboxDepth = registry.makeGauge(name: "rec_webhook_outbox_depth", help: "Webhook deliveries waiting to be sent or retried.")
        transitions = MetricCache { status in
            registry.makeCounter(name: "rec_alert_transitions_total", labels: [("status", status)], help: "Alert transitions announced (firing, resolved).")
        }
        // Zero from the start, so failure ratios and rate() work before the first delivery.
        for outcome in ["delivered", "retried", "abandoned"] { _ = deliveries(outcome) }
        for status in ["firing", "resolved"] { _ = transitions(status) }
    }

    /// Sets how many alerts of each name and severity fire; names seen before and absent now drop to 0.
    public func setFiring(_ counts: [(name: String, severity: String, count: Int)], known: [(name: String, severity: String)]) {
        for (name, severity) in known { firing(AlertKey(name: name, severity: severity)).set(0.0) }
        for entry in counts { firing(AlertKey(name: entry.name, severity: entry.severity)).set(Double(entry.count)) }
    }

    /// Counts one delivery attempt's outcome.
    public func delivery(_ outcome: String) {
        deliveries(outcome).increment()
    }

    /// Counts one announced transition.
    public func transition(_ status: String) {
        transitions(status).increment()
    }
}
