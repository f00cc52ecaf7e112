import Prometheus
import Tracing

/// A wrapper around one module's calls: a child span plus calls, errors and a duration histogram by operation.
///
/// Only the store goes through it today (`Telemetry.store`, `rec_store_*`, through `RecordStore.measure`). Serving,
/// training, imports, webhooks and authentication make their own spans and record into their own metric families
/// (`ServingMetrics`, `TrainingMetrics`, `IngestMetrics`, `AlertMetrics`, `AccessMetrics`).
public final class ModuleInstrument: Sendable {
    /// The module name used in metric names (`rec_<module>_…`) and span names (`<module>.<operation>`).
    public let module: String
    private let calls: MetricCache<String, Counter>
    private let errors: MetricCache<ErrorKey, Counter>
    private let durations: MetricCache<String, DurationHistogram>

    struct ErrorKey: Hashable, Sendable {
        let operation: String
        let error: String
    }

    /// Creates the instrument for `module`, registering its three families on first use of each operation.
    public init(module: String, registry: PrometheusCollectorRegistry) {
        self.module = module
        calls = MetricCache { operation in
            registry.makeCounter(name: "rec_\(module)_calls_total", labels: [("operation", operation)], help: "Calls into the \(module) module.")
        }
        errors = MetricCache { key in
            registry.makeCounter(name: "rec_\(module)_errors_total", labels: [("operation", key.operation), ("error", key.error)], help: "Failed calls into the \(module) module.")
        }
        durations = MetricCache { operation in
            registry.makeDurationHistogram(
                name: "rec_\(module)_duration_seconds", labels: [("operation", operation)], buckets: Telemetry.latencyBuckets,
                help: "Duration of calls into the \(module) module."
            )
        }
    }

    /// Exports the call counter of every one of `operations`, and its error counter for each of `errors`, at 0 now, so
    /// rate() and alert rules see the series before the first call or failure.
    public func prepare(operations: [String], errors errorLabels: [String]) {
        for operation in operations {
            _ = calls(operation)
            for error in errorLabels { _ = errors(ErrorKey(operation: operation, error: error)) }
        }
    }

    /// Runs `body` as `operation`: inside a child span, counted, timed, and its error (if any) labelled by
    /// `ErrorClassifier`.
    public func measure<T>(
        _ operation: String,
        attributes: [(String, String)] = [],
        _ body: () async throws -> T
    ) async throws -> T {
        let start = ContinuousClock.now
        calls(operation).increment()
        do {
            let value = try await withSpan("\(module).\(operation)", ofKind: .client) { span in
                for (key, value) in attributes { span.attributes[key] = value }
                return try await body()
            }
            durations(operation).record(ContinuousClock.now - start)
            return value
        } catch {
            durations(operation).record(ContinuousClock.now - start)
            errors(ErrorKey(operation: operation, error: ErrorClassifier.label(for: error))).increment()
            throw error
        }
    }
}
