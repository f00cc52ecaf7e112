import Prometheus

/// Authentication failures by reason and rate-limit rejections.
public final class AccessMetrics: Sendable {
    private let failures: MetricCache<AuthFailureReason, Counter>
    private let limited: Counter

    init(registry: PrometheusCollectorRegistry) {
        failures = MetricCache { reason in
            registry.makeCounter(name: "rec_auth_failures_total", labels: [("reason", reason.rawValue)], help: "Requests refused by authentication or authorisation, by reason.")
        }
        limited = registry.makeCounter(name: "rec_rate_limited_total", help: "Requests refused by the per-tenant rate limit.")
        // Zero from the start, so rate() and alert rules see every reason before its first failure.
        for reason in AuthFailureReason.allCases { _ = failures(reason) }
    }

    /// Counts one request refused for `reason`.
    public func authFailure(_ reason: AuthFailureReason) {
        failures(reason).increment()
    }

    /// Counts one rate-limited request.
    public func rateLimited() {
        limited.increment()
    }
}
