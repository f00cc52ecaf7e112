import Foundation
import RecCore

/// Runs CPU-bound training on a thread of its own, so it never occupies an event loop or a Swift concurrency
/// worker; the numeric kernels fan out further on their own bounded worker threads.
enum TrainingThread {
    /// Runs `body` on a new thread and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                WorkerThread.nameCurrentThread("rec-training")
                continuation.resume(with: Result { try body() })
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}
