import Prometheus

/// The instrumentation layer's handle: one Prometheus registry and the cached metric families every module records into.
///
/// One instance per application, passed in through initialisers; tests make their own so they never share counters.
public final class Telemetry: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// HTTP server metrics recorded by the metrics middleware.
    public let http: HTTPMetrics
    /// The store's RED metrics, by operation.
    public let store: ModuleInstrument
    /// Ingestion row counters.
    public let ingest: IngestMetrics
    /// Authentication and rate limiting counters.
    public let access: AccessMetrics
    /// Job lifecycle metrics.
    public let jobs: JobMetrics
    /// Process metrics rendered at scrape time.
    public let process: ProcessMetrics
    /// Training durations, losses and offline metrics.
    public let training: TrainingMetrics
    /// Index searches, filters, fallbacks, fold-in and the version served.
    public let serving: ServingMetrics
    /// Search failures, rankings moved off the loops, histories held.
    public let ranking: RankingMetrics
    /// Alerts firing and webhook deliveries.
    public let alerts: AlertMetrics
    /// Model monitors: drift, online and offline quality, model age.
    public let monitors: MonitorMetrics
    /// Experiments and canary rollouts: lists per arm, rates, p-values, rollout status.
    public let experiments: ExperimentMetrics

    /// Creates the layer over `registry` (a fresh one by default).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.http = HTTPMetrics(registry: registry)
        self.store = ModuleInstrument(module: "store", registry: registry)
        self.ingest = IngestMetrics(registry: registry)
        self.access = AccessMetrics(registry: registry)
        self.jobs = JobMetrics(registry: registry)
        self.process = ProcessMetrics()
        self.training = TrainingMetrics(registry: registry)
        self.serving = ServingMetrics(registry: registry)
        self.ranking = RankingMetrics(registry: registry)
        self.alerts = AlertMetrics(registry: registry)
        self.monitors = MonitorMetrics(registry: registry)
        self.experiments = ExperimentMetrics(registry: registry)
    }

    /// The full exposition: every registered family plus the process metrics.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        process.emit(into: &buffer)
        return buffer
    }

    /// Histogram buckets for request-scale durations (0.25 ms to 10 s).
    public static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]
}
