import Foundation

/// One OS thread that runs submitted work in order, for work that blocks or computes for long (SQLite calls,
/// imports, monitors): in the service, Swift concurrency runs on the NIO event loops, which must stay free for I/O.
///
/// It is an executor in both senses:
/// - a `TaskExecutor`: a task that prefers it runs its nonisolated code here, and so do default actors it calls;
/// - a `SerialExecutor`: an actor can make it its executor.
///
/// `@unchecked Sendable`: the queue is only touched under `condition`.
public final class WorkerThread: TaskExecutor, SerialExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [() -> Void] = []
    private var stopping = false
    private var ended = false

    /// The nice value of a background thread: under contention Linux gives it about a tenth of a normal thread's CPU
    /// (so serving keeps the cores while it is busy), and all it wants when the machine is idle.
    public static let backgroundNice: Int32 = 10

    /// Starts the thread, named `name` (at most 15 characters show in `top -H` and `/proc`); a `background` thread
    /// runs at `backgroundNice`.
    public init(name: String, background: Bool = false) {
        // The thread holds this object until `stop()` lets its loop end.
        let thread = Thread { [self] in
            Self.nameCurrentThread(name)
            if background { Self.lowerCurrentThreadPriority() }
            self.loop()
        }
        thread.start()
    }

    /// Runs `body` on this thread after the work submitted before it, and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs a job of a task that prefers this executor or of an actor it serves (called by the concurrency runtime).
    public func enqueue(_ job: UnownedJob) {
        submit { job.runSynchronously(isolatedTo: self.asUnownedSerialExecutor(), taskExecutor: self.asUnownedTaskExecutor()) }
    }

    /// This executor as an actor's executor.
    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets the thread finish the work already submitted and end.
    public func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func submit(_ work: @escaping () -> Void) {
        condition.lock()
        // Late work after the thread ended (a task resuming during teardown) runs on the caller rather than never.
        // Owners stop their thread only once nothing prefers it any more (deinit, or the end of a service's run).
        if ended {
            condition.unlock()
            work()
            return
        }
        queue.append(work)
        condition.signal()
        condition.unlock()
    }

    /// Names the calling thread, for Foundation and (through Linux's `/proc`) for the OS: Foundation's own naming of
    /// the OS thread was seen to lose a race about one time in a hundred, and Glibc's `pthread_setname_np` is not
    /// visible to Swift.
    public static func nameCurrentThread(_ name: String) {
        Thread.current.name = name
        #if os(Linux)
        let file = open("/proc/thread-self/comm", O_WRONLY)
        guard file >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBufferPointer { write(file, $0.baseAddress, $0.count) }
        close(file)
        #endif
    }

    /// Gives the calling thread (only it: on Linux a nice value is per thread) at least `backgroundNice` (a process
    /// started niced further keeps its value).
    public static func lowerCurrentThreadPriority() {
        #if os(Linux)
        guard let thread = currentThreadID() else { return }
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let current = getpriority(which, thread)
        if current < backgroundNice { _ = setpriority(which, thread, backgroundNice) }
        #endif
    }

    /// The calling thread's kernel id (Glibc's `gettid` is not visible to Swift; `/proc/thread-self` links to
    /// `PID/task/TID`); nil where there is no such link.
    public static func currentThreadID() -> id_t? {
        var buffer = [CChar](repeating: 0, count: 64)
        let length = readlink("/proc/thread-self", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let target = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return target.split(separator: "/").last.flatMap { id_t($0) }
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            let done = batch.isEmpty && stopping
            if done { ended = true }
            condition.unlock()
            if done { return }
            for work in batch { work() }
        }
    }
}
