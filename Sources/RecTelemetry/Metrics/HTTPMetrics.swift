import Prometheus

/// HTTP server metrics under the OpenTelemetry semantic names, in Prometheus form.
public final class HTTPMetrics: Sendable {
    /// Identifies one duration series.
    struct Series: Hashable, Sendable {
        let route: String
        let method: String
        let status: Int
    }

    private let durations: MetricCache<Series, DurationHistogram>
    private let active: MetricCache<String, Gauge>

    init(registry: PrometheusCollectorRegistry) {
        durations = MetricCache { series in
            registry.makeDurationHistogram(
                name: "http_server_request_duration_seconds",
                labels: [("http_route", series.route), ("http_request_method", series.method), ("http_response_status_code", String(series.status))],
                buckets: Telemetry.latencyBuckets,
                help: "Duration of HTTP server requests."
            )
        }
        active = MetricCache { method in
            registry.makeGauge(name: "http_server_active_requests", labels: [("http_request_method", method)], help: "Number of in-flight HTTP server requests.")
        }
    }

    /// Records one finished request; `route` must be the route template, never the raw path.
    public func record(route: String, method: String, status: Int, nanoseconds: UInt64) {
        durations(Series(route: route, method: method, status: status)).recordNanoseconds(Int64(nanoseconds))
    }

    /// The in-flight gauge for `method`.
    public func inFlight(method: String) -> Gauge {
        active(method)
    }
}
