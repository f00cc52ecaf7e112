import InMemoryTracing
import Instrumentation
import Logging
import Tracing

/// One in-memory tracer for the whole test process (the tracing system can be bootstrapped only once).
public enum TestTracing {
    /// The tracer every test app's spans go to.
    public static let tracer: InMemoryTracer = {
        let tracer = InMemoryTracer()
        InstrumentationSystem.bootstrap(tracer)
        return tracer
    }()

    /// Makes sure the tracer is installed.
    public static func install() {
        _ = tracer
    }

    /// Adds the in-memory span's ids to log lines, under the same keys the OTel provider uses.
    public static let metadataProvider = Logger.MetadataProvider {
        guard let span = InstrumentationContext.current?.inMemorySpanContext else { return [:] }
        return ["trace_id": "\(span.traceID)", "span_id": "\(span.spanID)"]
    }
}
