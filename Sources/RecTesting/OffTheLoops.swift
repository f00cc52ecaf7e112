import Foundation
import RecCore

/// The threads tests move their own CPU-heavy work to (training, index builds): test code runs on NIO's event loops,
/// as request code does in `serve`, and minutes of computing there would stall every other test's I/O.
public enum TestCompute {
    /// One pool for the test process.
    public static let pool = ComputePool(name: "rec-test-cpu", threads: ProcessInfo.processInfo.activeProcessorCount)
}

/// Runs `body` (the rest of a test, its expectations included: it stays in the test's task) on `TestCompute.pool`.
public func offTheLoops<T>(_ body: () async throws -> T) async rethrows -> T {
    try await withTaskExecutorPreference(TestCompute.pool, operation: body)
}
