import ServiceLifecycle

/// The tracing service when spans are not exported: nothing to flush, so it only waits for shutdown (a service that
/// returned at once would end its group).
struct TracerIdleService: Service {
    func run() async throws {
        try await gracefulShutdown()
    }
}
