import RecCore
import ServiceLifecycle

/// Stops the compute pool's threads when the application shuts down (work arriving after that runs on its caller).
struct ComputePoolShutdown: Service {
    let pool: ComputePool

    func run() async throws {
        // Cancellation here is the shutdown too: either way the pool stops.
        try? await gracefulShutdown()
        pool.stop()
    }
}
