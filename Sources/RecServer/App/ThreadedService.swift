import RecCore
import ServiceLifecycle

/// Runs a background service on a worker thread of its own: its nonisolated code, the default actors it calls and the
/// child tasks it starts run there, so its parsing and bookkeeping never take the event loops' time (in the service,
/// Swift concurrency runs on them) and one busy service does not delay another.
struct ThreadedService: Service, CustomStringConvertible {
    let service: any Service
    let threadName: String
    /// Whether the thread yields the CPU to serving under contention (`WorkerThread.backgroundNice`).
    var background = false

    var description: String { "\(type(of: service))" }

    func run() async throws {
        let thread = WorkerThread(name: threadName, background: background)
        defer { thread.stop() }
        try await withTaskExecutorPreference(thread) {
            try await service.run()
        }
    }
}
