import Foundation

/// A fixed set of long-lived, named threads for CPU-bound bursts: model training and loading, catalogue and view builds,
/// large JSON batches, ranking scans that walk the whole catalogue. Work waits in one queue, so at most `threads`
/// bursts run at once whatever the load: the event loops (where Swift concurrency runs in the service) never compute
/// for long, and no thread is created per call.
///
/// It is also a `TaskExecutor`: a task that prefers it runs its nonisolated code on these threads.
///
/// `@unchecked Sendable`: the queue and the flags are only touched under `condition`.
public final class ComputePool: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [() -> Void] = []
    private var head = 0
    private var stopping = false
    private var running: Int
    /// The name of the pool's threads (each one's is this and its number, `rec-compute-0`).
    public let name: String
    /// How many threads run the work.
    public let threads: Int

    /// Starts `threads` threads named `name-0`, `name-1`, … (at most 15 characters show in `top -H`), each with a
    /// stack of `stackSize` bytes (the numeric kernels and the JSON parser recurse deeper than the default allows);
    /// `background` threads run at `WorkerThread.backgroundNice`.
    public init(name: String, threads: Int, stackSize: Int = 16 << 20, background: Bool = false) {
        precondition(threads > 0, "a pool needs at least one thread")
        self.name = name
        self.threads = threads
        running = threads
        for number in 0..<threads {
            // Each thread holds this object until `stop()` lets its loop end.
            let thread = Thread { [self] in
                WorkerThread.nameCurrentThread("\(name)-\(number)")
                if background { WorkerThread.lowerCurrentThreadPriority() }
                self.loop()
            }
            thread.stackSize = stackSize
            thread.start()
        }
    }

    /// Runs `body` on one of the pool's threads once one is free, and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body`, which cannot fail, on one of the pool's threads and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            submit { continuation.resume(returning: body()) }
        }
    }

    /// Runs a job of a task that prefers this executor (called by the concurrency runtime).
    public func enqueue(_ job: UnownedJob) {
        submit { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Lets the threads finish the work already submitted and end; work submitted later runs on the caller.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Work queued and not yet started.
    public var queued: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count - head
    }

    private func submit(_ work: @escaping () -> Void) {
        condition.lock()
        // Late work after the threads ended (a task resuming during teardown) runs on the caller rather than never.
        if running == 0 {
            condition.unlock()
            work()
            return
        }
        queue.append(work)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while head == queue.count && !stopping { condition.wait() }
            if head == queue.count {
                running -= 1
                condition.unlock()
                return
            }
            let work = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1_024 && head * 2 >= queue.count {
                // A queue that never drains: drop the started work's slots now and then (amortised O(1)).
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            work()
        }
    }
}
