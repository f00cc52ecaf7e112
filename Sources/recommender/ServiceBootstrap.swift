import ArgumentParser
import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import RecServer
import RecTelemetry
import ServiceLifecycle
import Tracing

/// What `serve` and `demo` share before building the app: the configuration from `RECOMMENDER_*` variables, and the
/// process-wide telemetry backends, bootstrapped once here (never in the application builder).
enum ServiceBootstrap {
    /// Makes NIO's event loops the executor of Swift concurrency, so request handling runs on the loops that read and
    /// write the sockets instead of hopping to a separate pool and back (about 15% less CPU per request here). Work that
    /// blocks or computes for long runs on threads of its own: SQLite, training and model loading, the background
    /// services, uploads, swaps and catalogue changes. Called first thing in `serve` and `demo`, before they start any
    /// task; returns whether it took effect (the log line of `serve` says).
    static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// The configuration from the environment; a bad value is a usage error naming the variable.
    static func configuration(_ environment: [String: String]) throws -> AppConfiguration {
        var configuration = AppConfiguration()
        do {
            try configuration.apply(environment: environment)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        return configuration
    }

    /// Bootstraps metrics, tracing and JSON logging at `level`; returns the registry holder, the tracer's service
    /// (which flushes spans at shutdown) and the root logger.
    static func telemetry(_ environment: [String: String], level: Logger.Level) throws -> (telemetry: Telemetry, tracing: any Service, logger: Logger) {
        let telemetry = Telemetry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: telemetry.registry))
        let tracing: (tracer: any Tracer, service: any Service)
        do {
            tracing = try TracingSetup.make(environment: environment)
        } catch let error as TracingSetup.InvalidEnvironment {
            throw ValidationError(error.description)
        }
        InstrumentationSystem.bootstrap(tracing.tracer)
        LoggingSystem.bootstrap({ label, provider in JSONLogHandler(label: label, level: level, metadataProvider: provider) }, metadataProvider: LoggerFactory.traceMetadataProvider)
        return (telemetry, tracing.service, LoggerFactory.make(label: "recommender", level: level))
    }
}
