import Prometheus

/// Job lifecycle: finished jobs by kind and outcome, durations, and the queue depth.
public final class JobMetrics: Sendable {
    struct Key: Hashable, Sendable {
        let kind: String
        let status: String
    }

    private let finished: MetricCache<Key, Counter>
    private let durations: MetricCache<String, DurationHistogram>
    private let depth: MetricCache<String, Gauge>

    init(registry: PrometheusCollectorRegistry) {
        finished = MetricCache { key in
            registry.makeCounter(name: "rec_jobs_finished_total", labels: [("kind", key.kind), ("status", key.status)], help: "Jobs that reached a final status.")
        }
        durations = MetricCache { kind in
            registry.makeDurationHistogram(
                name: "rec_job_duration_seconds", labels: [("kind", kind)],
                buckets: [.milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300), .seconds(900), .seconds(3600)],
                help: "Wall time of finished jobs."
            )
        }
        depth = MetricCache { kind in
            registry.makeGauge(name: "rec_job_queue_depth", labels: [("kind", kind)], help: "Jobs queued and not yet started.")
        }
        // Zero from the start, so increase() over a window sees the first failure.
        for kind in ["train", "import"] {
            for status in ["succeeded", "failed", "cancelled"] { _ = finished(Key(kind: kind, status: status)) }
        }
    }

    /// Records a job that finished with `status` after `duration`.
    public func finished(kind: String, status: String, duration: Duration) {
        finished(Key(kind: kind, status: status)).increment()
        durations(kind).record(duration)
    }

    /// Sets the number of queued jobs of `kind`.
    public func setQueueDepth(kind: String, _ value: Int) {
        depth(kind).set(Double(value))
    }
}
