import Instrumentation
import Logging
import Tracing
import W3CTraceContext

/// The tracer when spans are not exported: every span gets W3C ids (continuing an incoming `traceparent`, whose
/// `tracestate` it passes on), so log lines and outgoing requests carry them, and nothing is recorded. swift-otel's
/// tracer does the same with a dropping sampler, but draws each id with a system call under a lock and formats ids for
/// logs through byte arrays; this one costs an atomic add an id. It honours `OTEL_PROPAGATORS` (`tracecontext` or
/// `none`) and `OTEL_TRACES_SAMPLER` (the sampled flag it gives new traces), through `TracingSetup`.
public struct LocalTracer: Tracer {
    /// Its spans record nothing and keep their context.
    public typealias Span = NoOpTracer.NoOpSpan

    /// Whether `traceparent` and `tracestate` are read from requests and written to outgoing ones.
    public let propagates: Bool
    /// Which spans are flagged as sampled.
    public let sampler: LocalSampler

    /// Creates the tracer.
    public init(propagates: Bool = true, sampler: LocalSampler = .parentBasedAlwaysOff) {
        self.propagates = propagates
        self.sampler = sampler
    }

    /// Starts a span: a child of the context's span (same trace and state, a new span id), or a new trace.
    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> NoOpTracer.NoOpSpan {
        var context = context()
        if var span = context.localSpanContext {
            span.spanID = LocalTraceIDs.next()
            span.flags = sampler.flags(traceLow: span.traceLow, parentFlags: span.flags)
            context.localSpanContext = span
        } else {
            let traceLow = LocalTraceIDs.next()
            context.localSpanContext = LocalSpanContext(
                traceHigh: LocalTraceIDs.next(), traceLow: traceLow, spanID: LocalTraceIDs.next(),
                flags: sampler.flags(traceLow: traceLow, parentFlags: nil)
            )
        }
        return NoOpTracer.NoOpSpan(context: context)
    }

    /// Nothing is buffered.
    public func forceFlush() {}

    /// Reads `traceparent` and `tracestate` (a `tracestate` that does not parse is dropped; a `traceparent` that does
    /// not parse starts a new trace).
    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard propagates, let parent = extractor.extract(key: "traceparent", from: carrier) else { return }
        let state = extractor.extract(key: "tracestate", from: carrier)
        if let parsed = (try? TraceContext(traceParentHeaderValue: parent, traceStateHeaderValue: state))
            ?? (try? TraceContext(traceParentHeaderValue: parent)) {
            context.localSpanContext = LocalSpanContext(parsed)
        }
    }

    /// Writes `traceparent` (and `tracestate` when there is one) for the context's span.
    public func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard propagates, let span = context.localSpanContext else { return }
        let traceContext = span.traceContext
        injector.inject(traceContext.traceParentHeaderValue, forKey: "traceparent", into: &carrier)
        if let state = traceContext.traceStateHeaderValue { injector.inject(state, forKey: "tracestate", into: &carrier) }
    }

    /// The current span's `trace_id`, `span_id` and `trace_flags` under this tracer (the keys swift-otel's provider
    /// uses), or nil when there is none.
    public static func loggingMetadata() -> Logger.Metadata? {
        guard let span = ServiceContext.current?.localSpanContext else { return nil }
        return ["trace_id": .string(span.traceIDHex), "span_id": .string(span.spanIDHex), "trace_flags": .string(String(span.flags))]
    }
}
