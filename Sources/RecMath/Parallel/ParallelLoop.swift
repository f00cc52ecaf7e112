import Dispatch
import Synchronization

/// Runs a loop body over chunks of a range on up to a fixed number of workers: the way training and evaluation use
/// both cores.
///
/// The workers are not threads of its own: with one worker the body runs on the calling thread; with more,
/// `DispatchQueue.concurrentPerform` runs them on the calling thread and threads of Dispatch's shared global pool
/// (which it sizes to the CPUs). The call blocks until every chunk is done, so callers run it on a thread that may
/// block (the training threads), never on an event loop or the Swift concurrency pool.
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
