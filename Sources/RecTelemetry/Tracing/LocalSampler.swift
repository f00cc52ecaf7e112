/// Which spans the local tracer flags as sampled (W3C trace flag bit 0), from `OTEL_TRACES_SAMPLER` and
/// `OTEL_TRACES_SAMPLER_ARG` as swift-otel reads them. Nothing is recorded either way: the flag tells the services this
/// one calls whether to sample the trace.
public struct LocalSampler: Sendable, Equatable {
    /// The share of traces flagged (0: none, 1: all), decided by the trace id's last eight bytes.
    public var ratio: Double
    /// Whether a span with a parent takes its parent's flag (otherwise `ratio` decides for every span).
    public var followsParent: Bool

    /// The default without an exporter: a parent's flag, else not sampled (`parentbased_always_off`).
    public static let parentBasedAlwaysOff = LocalSampler(ratio: 0, followsParent: true)

    /// Creates a sampler.
    public init(ratio: Double, followsParent: Bool) {
        self.ratio = ratio
        self.followsParent = followsParent
    }

    /// The sampler `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` name (`parentbased_always_off` when unset); throws
    /// a message naming the variable for a value it cannot honour.
    public static func from(environment: [String: String]) throws -> LocalSampler {
        let name = environment["OTEL_TRACES_SAMPLER"]?.lowercased() ?? "parentbased_always_off"
        func argument() throws -> Double {
            guard let text = environment["OTEL_TRACES_SAMPLER_ARG"] else { return 1 }
            guard let value = Double(text), (0...1).contains(value) else {
                throw TracingSetup.InvalidEnvironment(description: "OTEL_TRACES_SAMPLER_ARG=\(text) must be a number from 0 to 1")
            }
            return value
        }
        switch name {
        case "always_on": return LocalSampler(ratio: 1, followsParent: false)
        case "always_off": return LocalSampler(ratio: 0, followsParent: false)
        case "traceidratio": return LocalSampler(ratio: try argument(), followsParent: false)
        case "parentbased_always_on": return LocalSampler(ratio: 1, followsParent: true)
        case "parentbased_always_off": return .parentBasedAlwaysOff
        case "parentbased_traceidratio": return LocalSampler(ratio: try argument(), followsParent: true)
        default:
            throw TracingSetup.InvalidEnvironment(description: "OTEL_TRACES_SAMPLER=\(name) is not supported: use always_on, always_off, traceidratio or their parentbased_ forms")
        }
    }

    /// The flags of a span in the trace whose id ends in `traceLow`, under a parent with `parentFlags` (nil: none).
    func flags(traceLow: UInt64, parentFlags: UInt8?) -> UInt8 {
        let others = (parentFlags ?? 0) & ~1
        if followsParent, let parentFlags { return others | (parentFlags & 1) }
        let sampled = ratio >= 1 || (ratio > 0 && Double(traceLow >> 11) < ratio * Double(1 << 53))
        return others | (sampled ? 1 : 0)
    }
}
