import Instrumentation

/// Where the local tracer keeps the current span's ids.
enum LocalSpanContextKey: ServiceContextKey {
    typealias Value = LocalSpanContext
    static var nameOverride: String? { "rec-local-span-context" }
}

extension ServiceContext {
    /// The current span's ids under the local tracer.
    public var localSpanContext: LocalSpanContext? {
        get { self[LocalSpanContextKey.self] }
        set { self[LocalSpanContextKey.self] = newValue }
    }
}
