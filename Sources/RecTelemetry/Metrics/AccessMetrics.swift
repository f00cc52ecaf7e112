import Prometheus

/// Authentication failures by reason and rate-limit rejections.
public final class AccessMetrics: Sendable {
    private let failures: MetricCache<String, Counter>
    private let limited: Counter

    init(registry: PrometheusCollectorRegistry) {
        failures = MetricCache { reason in
            registry.makeCounter(name: "rec_auth_failures_total", labels: [("reason", reason)], help: "Requests refused by authentication or authorisation, by reason.")
        }
        limited = registry.makeCounter(name: "rec_rate_limited_total", help: "Requests refused by the per-tenant rate limit.")
    }

    /// Counts one refused request; `reason` is one of `missing`, `malformed`, `unknown_key`, `revoked`, `suspended`, `scope`, `operator`.
    public func authFailure(_ reason: String) {
        failures(reason).increment()
    }

    /// Counts one rate-limited request.
    public func rateLimited() {
        limited.increment()
    }
}
