import Prometheus

/// Rows accepted and rejected by ingestion, by entity kind and rejection reason.
public final class IngestMetrics: Sendable {
    struct RejectKey: Hashable, Sendable {
        let kind: String
        let reason: String
    }

    private let accepted: MetricCache<String, Counter>
    private let rejected: MetricCache<RejectKey, Counter>

    /// The entity kinds ingestion stores.
    public static let kinds = ["items", "users", "interactions"]
    /// The reasons it rejects rows for: a field fails validation, or (imports) a line cannot be parsed.
    public static let rejectionReasons = ["invalid_field", "malformed"]

    init(registry: PrometheusCollectorRegistry) {
        accepted = MetricCache { kind in
            registry.makeCounter(name: "rec_ingest_rows_accepted_total", labels: [("kind", kind)], help: "Rows stored by ingestion (API and imports).")
        }
        rejected = MetricCache { key in
            registry.makeCounter(name: "rec_ingest_rows_rejected_total", labels: [("kind", key.kind), ("reason", key.reason)], help: "Rows refused by ingestion, by reason.")
        }
        // Zero from the start, so rate() and rejection ratios see every kind and reason before their first row.
        for kind in Self.kinds {
            _ = accepted(kind)
            for reason in Self.rejectionReasons { _ = rejected(RejectKey(kind: kind, reason: reason)) }
        }
    }

    /// Counts `count` stored rows of `kind` (one of `kinds`).
    public func accepted(_ kind: String, count: Int) {
        guard count > 0 else { return }
        accepted(kind).increment(by: Int64(count))
    }

    /// Counts `count` refused rows of `kind`; `reason` is one of `rejectionReasons`.
    public func rejected(_ kind: String, reason: String, count: Int = 1) {
        guard count > 0 else { return }
        rejected(RejectKey(kind: kind, reason: reason)).increment(by: Int64(count))
    }
}
