import Instrumentation
@testable import RecTelemetry
import Testing
import Tracing

@Suite("Local tracer (spans not exported)")
struct LocalTracerTests {
    private struct Headers: Extractor, Injector {
        func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
    }

    private let tracer = LocalTracer()

    private func start(_ name: String, in context: ServiceContext, with tracer: LocalTracer = LocalTracer()) -> NoOpTracer.NoOpSpan {
        tracer.startSpan(name, context: context, ofKind: .internal, at: DefaultTracerClock.now, function: #function, file: #fileID, line: #line)
    }

    @Test("a span without a parent starts a trace; its children share the trace and get their own span ids")
    func rootAndChildren() throws {
        let root = try #require(start("root", in: .topLevel).context.localSpanContext)
        #expect(root.traceHigh != 0 || root.traceLow != 0)
        #expect(root.spanID != 0 && root.flags == 0)
        #expect(root.traceIDHex.count == 32 && root.spanIDHex.count == 16)
        #expect(root.traceIDHex.allSatisfy { "0123456789abcdef".contains($0) })
        let parent = start("root", in: .topLevel).context
        let first = try #require(start("child", in: parent).context.localSpanContext)
        let second = try #require(start("child", in: parent).context.localSpanContext)
        let parentIDs = try #require(parent.localSpanContext)
        #expect(first.traceIDHex == parentIDs.traceIDHex && second.traceIDHex == parentIDs.traceIDHex)
        #expect(Set([parentIDs.spanID, first.spanID, second.spanID]).count == 3)
        #expect(root.traceIDHex != parentIDs.traceIDHex)
    }

    @Test("an incoming traceparent is continued with its flags and tracestate, and injected again with the new span id")
    func propagation() throws {
        var context = ServiceContext.topLevel
        let incoming = ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate": "congo=t61rcWkgMzE"]
        tracer.extract(incoming, into: &context, using: Headers())
        let span = start("server", in: context)
        let ids = try #require(span.context.localSpanContext)
        #expect(ids.traceIDHex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(ids.spanIDHex != "00f067aa0ba902b7")
        #expect(ids.flags == 1)
        var outgoing: [String: String] = [:]
        tracer.inject(span.context, into: &outgoing, using: Headers())
        #expect(outgoing["traceparent"] == "00-4bf92f3577b34da6a3ce929d0e0e4736-\(ids.spanIDHex)-01")
        #expect(outgoing["tracestate"] == "congo=t61rcWkgMzE")

        // A bad tracestate is dropped, the traceparent kept; a bad traceparent (all-zero trace id) starts a new trace.
        var stateless = ServiceContext.topLevel
        tracer.extract(["traceparent": incoming["traceparent"]!, "tracestate": "=bad="], into: &stateless, using: Headers())
        #expect(stateless.localSpanContext?.traceIDHex == "4bf92f3577b34da6a3ce929d0e0e4736")
        var invalid = ServiceContext.topLevel
        tracer.extract(["traceparent": "00-00000000000000000000000000000000-00f067aa0ba902b7-01"], into: &invalid, using: Headers())
        #expect(invalid.localSpanContext == nil)
        var none: [String: String] = [:]
        tracer.inject(.topLevel, into: &none, using: Headers())
        #expect(none.isEmpty)
    }

    @Test("log metadata carries the current span's ids under swift-otel's keys, and nothing outside a span")
    func logMetadata() throws {
        #expect(LocalTracer.loggingMetadata() == nil)
        let span = start("server", in: .topLevel)
        let ids = try #require(span.context.localSpanContext)
        let metadata = ServiceContext.$current.withValue(span.context) { LocalTracer.loggingMetadata() }
        #expect(metadata?["trace_id"] == .string(ids.traceIDHex))
        #expect(metadata?["span_id"] == .string(ids.spanIDHex))
        #expect(metadata?["trace_flags"] == "0")
    }

    @Test("without an endpoint the setup gives the local tracer, honouring OTEL_PROPAGATORS and OTEL_TRACES_SAMPLER; bad values name the variable")
    func setup() throws {
        #expect(try TracingSetup.make(environment: [:]).tracer is LocalTracer)
        let sampledParent = ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"]
        func flags(_ environment: [String: String], parent: [String: String]? = nil) throws -> UInt8? {
            let tracer = try TracingSetup.localTracer(environment: environment)
            var context = ServiceContext.topLevel
            if let parent { tracer.extract(parent, into: &context, using: Headers()) }
            return start("span", in: context, with: tracer).context.localSpanContext?.flags
        }

        let quiet = try TracingSetup.localTracer(environment: ["OTEL_PROPAGATORS": "none"])
        var context = ServiceContext.topLevel
        quiet.extract(sampledParent, into: &context, using: Headers())
        #expect(context.localSpanContext == nil)
        #expect(try TracingSetup.localTracer(environment: ["OTEL_PROPAGATORS": "tracecontext, baggage"]).propagates)

        #expect(try flags([:]) == 0)
        #expect(try flags([:], parent: sampledParent) == 1)
        #expect(try flags(["OTEL_TRACES_SAMPLER": "always_on"]) == 1)
        #expect(try flags(["OTEL_TRACES_SAMPLER": "always_off"], parent: sampledParent) == 0)
        #expect(try flags(["OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"]) == 0)
        #expect(try flags(["OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"], parent: sampledParent) == 1)
        let half = try TracingSetup.localTracer(environment: ["OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.5"])
        let sampled = (0..<10_000).filter { _ in start("root", in: .topLevel, with: half).context.localSpanContext?.flags == 1 }.count
        #expect((4_500...5_500).contains(sampled), "\(sampled)")

        for (variable, value) in [("OTEL_PROPAGATORS", "b3"), ("OTEL_TRACES_SAMPLER", "jaeger_remote"), ("OTEL_TRACES_SAMPLER_ARG", "2")] {
            var environment = [variable: value]
            if variable == "OTEL_TRACES_SAMPLER_ARG" { environment["OTEL_TRACES_SAMPLER"] = "traceidratio" }
            let error = #expect(throws: TracingSetup.InvalidEnvironment.self) { try TracingSetup.make(environment: environment) }
            #expect(error?.description.contains(variable) == true)
        }
    }

    @Test("ids are distinct and never zero")
    func uniqueIDs() {
        var seen = Set<UInt64>()
        for _ in 0..<200_000 { seen.insert(LocalTraceIDs.next()) }
        #expect(seen.count == 200_000)
        #expect(!seen.contains(0))
    }
}
