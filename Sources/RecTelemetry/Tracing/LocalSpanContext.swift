import Instrumentation
import W3CTraceContext

/// The ids of the current span under the local tracer, kept in the `ServiceContext` as numbers (so a log line formats
/// them without the W3C types' byte arrays).
public struct LocalSpanContext: Sendable, Equatable {
    /// The trace id's first eight bytes, big-endian.
    public var traceHigh: UInt64
    /// The trace id's last eight bytes.
    public var traceLow: UInt64
    /// The span id.
    public var spanID: UInt64
    /// The W3C trace flags (bit 0: sampled upstream).
    public var flags: UInt8
    /// The incoming `tracestate`, passed on unchanged.
    public var state: TraceState

    /// Creates a span context.
    public init(traceHigh: UInt64, traceLow: UInt64, spanID: UInt64, flags: UInt8, state: TraceState = TraceState()) {
        self.traceHigh = traceHigh
        self.traceLow = traceLow
        self.spanID = spanID
        self.flags = flags
        self.state = state
    }

    /// The context of a parsed `traceparent` (and `tracestate`).
    init(_ context: TraceContext) {
        let trace = context.traceID.bytes, span = context.spanID.bytes
        traceHigh = Self.word(trace.0, trace.1, trace.2, trace.3, trace.4, trace.5, trace.6, trace.7)
        traceLow = Self.word(trace.8, trace.9, trace.10, trace.11, trace.12, trace.13, trace.14, trace.15)
        spanID = Self.word(span.0, span.1, span.2, span.3, span.4, span.5, span.6, span.7)
        flags = context.flags.rawValue
        state = context.state
    }

    /// The W3C form, for `traceparent` and `tracestate` headers.
    var traceContext: TraceContext {
        func bytes(_ word: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: word >> (56 - 8 * $0)) } }
        let trace = bytes(traceHigh) + bytes(traceLow), span = bytes(spanID)
        return TraceContext(
            traceID: TraceID(bytes: (trace[0], trace[1], trace[2], trace[3], trace[4], trace[5], trace[6], trace[7],
                                     trace[8], trace[9], trace[10], trace[11], trace[12], trace[13], trace[14], trace[15])),
            spanID: SpanID(bytes: (span[0], span[1], span[2], span[3], span[4], span[5], span[6], span[7])),
            flags: TraceFlags(rawValue: flags),
            state: state
        )
    }

    /// The trace id as 32 lower-case hex digits (one allocation: this is on every log line).
    public var traceIDHex: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            Self.writeHex(traceHigh, to: buffer, at: 0)
            Self.writeHex(traceLow, to: buffer, at: 16)
            return 32
        }
    }

    /// The span id as 16 lower-case hex digits.
    public var spanIDHex: String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            Self.writeHex(spanID, to: buffer, at: 0)
            return 16
        }
    }

    private static func word(_ bytes: UInt8...) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Writes `word` as 16 hex digits into `buffer` from `offset`.
    private static func writeHex(_ word: UInt64, to buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        let digits: StaticString = "0123456789abcdef"
        for nibble in 0..<16 {
            buffer[offset + nibble] = digits.utf8Start[Int(word >> (60 - 4 * nibble) & 15)]
        }
    }
}
