import Logging
import OTel

/// Builds the service's loggers: JSON lines with the current span's `trace_id` and `span_id`.
public enum LoggerFactory {
    /// The provider adding the current span's `trace_id`, `span_id` and `trace_flags`, from the local tracer's context
    /// or else swift-otel's.
    public static let traceMetadataProvider = Logger.MetadataProvider {
        LocalTracer.loggingMetadata() ?? otelMetadataProvider.get()
    }

    private static let otelMetadataProvider = OTel.makeLoggingMetadataProvider()

    /// A logger for `label` writing JSON to `sink`; `extraProvider` lets tests add their tracer's ids.
    public static func make(label: String, level: Logger.Level = .info, sink: LogSink = .standardOutput, extraProvider: Logger.MetadataProvider? = nil) -> Logger {
        let provider = extraProvider.map { Logger.MetadataProvider.multiplex([traceMetadataProvider, $0]) } ?? traceMetadataProvider
        var logger = Logger(label: label) { label in
            JSONLogHandler(label: label, sink: sink, level: level, metadataProvider: provider)
        }
        logger.logLevel = level
        return logger
    }
}
