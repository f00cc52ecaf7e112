/// Takes served events (on the request path: it must not block or do I/O).
public protocol ServedEventSink: Sendable {
    /// Takes one event.
    func served(_ event: ServedEvent)
}
