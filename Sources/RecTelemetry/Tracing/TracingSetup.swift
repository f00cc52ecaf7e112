import Foundation
import OTel
import ServiceLifecycle
import Tracing

/// Builds the process tracer from the standard `OTEL_*` environment: spans always get W3C ids (so logs carry them),
/// and are exported over OTLP/HTTP protobuf by swift-otel when `OTEL_EXPORTER_OTLP_ENDPOINT` (or the traces variant)
/// is set; otherwise the `LocalTracer` gives the ids and records nothing.
public enum TracingSetup {
    /// An environment value the OTLP/HTTP-only build cannot honour.
    public struct InvalidEnvironment: Error, CustomStringConvertible {
        /// What is wrong, naming the variable.
        public let description: String
    }

    /// Whether the environment asks for export.
    public static func exportEnabled(_ environment: [String: String]) -> Bool {
        let endpoint = environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? environment["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? ""
        return !endpoint.isEmpty && environment["OTEL_SDK_DISABLED"]?.lowercased() != "true"
    }

    /// Validates the environment and makes the tracer and its background service (which flushes on shutdown).
    public static func make(environment: [String: String], serviceName: String = "recommender") throws -> (tracer: any Tracer, service: any Service) {
        for key in ["OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] {
            if let value = environment[key], value != "http/protobuf" {
                throw InvalidEnvironment(description: "\(key)=\(value) is not supported: this build exports OTLP over http/protobuf only")
            }
        }
        // Without an exporter, spans exist only to give log lines and outgoing requests trace and span ids: the local
        // tracer does that without recording anything.
        guard exportEnabled(environment) else { return (try localTracer(environment: environment), TracerIdleService()) }
        var config = OTel.Configuration.default
        config.serviceName = environment["OTEL_SERVICE_NAME"] ?? serviceName
        config.diagnosticLogLevel = .warning
        config.logs.enabled = false
        config.metrics.enabled = false
        config.traces.exporter = .otlp
        config.traces.otlpExporter.protocol = .httpProtobuf
        let backend = try OTel.makeTracingBackend(configuration: config)
        return (backend.factory, backend.service)
    }

    /// The local tracer the environment asks for: `OTEL_PROPAGATORS` (`tracecontext`, the default, or `none`;
    /// `baggage` is accepted and not propagated) and `OTEL_TRACES_SAMPLER`.
    static func localTracer(environment: [String: String]) throws -> LocalTracer {
        let names = (environment["OTEL_PROPAGATORS"] ?? "tracecontext").lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for name in names where !["tracecontext", "baggage", "none"].contains(name) {
            throw InvalidEnvironment(description: "OTEL_PROPAGATORS=\(name) is not supported without an OTLP endpoint: use tracecontext or none")
        }
        return LocalTracer(propagates: names.contains("tracecontext"), sampler: try LocalSampler.from(environment: environment))
    }
}
