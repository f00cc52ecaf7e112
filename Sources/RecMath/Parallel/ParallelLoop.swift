import Dispatch
import Synchronization

/// Runs a loop body over chunks of a range on a fixed number of dedicated threads (never the Swift
/// concurrency pool or an event loop): the way training and evaluation use both cores.
public enum ParallelLoop {
    /// Calls `body(chunk, worker)` for consecutive chunks of `0..<count` on `threads` workers.
    /// Each worker index is in `0..<threads`, so per-worker scratch buffers need no locking.
    public static func run(
        count: Int, threads: Int, chunkSize: Int = 256,
        _ body: @Sendable (_ chunk: Range<Int>, _ worker: Int) -> Void
    ) {
        guard count > 0 else { return }
        let workers = max(1, min(threads, (count + chunkSize - 1) / chunkSize))
        if workers == 1 {
            var start = 0
            while start < count {
                body(start..<min(count, start + chunkSize), 0)
                start += chunkSize
            }
            return
        }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let start = next.wrappingAdd(chunkSize, ordering: .relaxed).oldValue
                if start >= count { return }
                body(start..<min(count, start + chunkSize), worker)
            }
        }
    }
}
