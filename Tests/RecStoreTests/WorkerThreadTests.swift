import Foundation
import RecCore
import RecStore
import RecTesting
import Testing

@Suite("Worker threads")
struct WorkerThreadTests {
    @Test("work runs on the named thread in submission order, and a task preferring the thread stays on it across suspensions")
    func runsInOrderOnItsThread() async throws {
        let thread = WorkerThread(name: "sqlite-test")
        defer { thread.stop() }
        let log = LockedLog()
        for index in 0..<500 {
            try await thread.run { log.append(index) }
        }
        #expect(log.values == Array(0..<500))
        #expect(try await thread.run { currentThreadName() } == "sqlite-test")

        let names = await Task(executorPreference: thread) { () async -> [String] in
            let before = currentThreadName()
            try? await Task.sleep(for: .milliseconds(5))
            return [before, currentThreadName()]
        }.value
        #expect(names == ["sqlite-test", "sqlite-test"])
    }

    @Test("a background thread (and a background pool's) runs at the background nice value, a normal one does not")
    func backgroundPriority() async throws {
        @Sendable func nice() -> Int32 { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), WorkerThread.currentThreadID()!) }
        let background = WorkerThread(name: "rec-test-bg", background: true)
        let normal = WorkerThread(name: "rec-test-fg")
        let pool = ComputePool(name: "rec-test-bgp", threads: 1, background: true)
        defer { background.stop(); normal.stop(); pool.stop() }
        let base = try await normal.run { nice() }
        #expect(try await background.run { nice() } == max(base, WorkerThread.backgroundNice))
        #expect(await pool.run { nice() } == max(base, WorkerThread.backgroundNice))
    }

    @Test("an actor with the thread as its executor runs there, one call at a time")
    func actorsRunOnIt() async throws {
        let thread = WorkerThread(name: "worker-actor")
        defer { thread.stop() }
        let counter = PinnedCounter(thread: thread)
        let results = await withTaskGroup(of: (Int, String).self) { group in
            for _ in 0..<100 { group.addTask { await counter.increment() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results.map(\.0)) == Set(1...100))
        #expect(Set(results.map(\.1)) == ["worker-actor"])
    }

    @Test("an error thrown on the thread reaches the caller")
    func errorsReachTheCaller() async throws {
        let thread = WorkerThread(name: "sqlite-test")
        defer { thread.stop() }
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await thread.run { throw Boom() } }
        #expect(try await thread.run { 7 } == 7)
    }

    @Test("transaction bodies run on the writer's thread, so blocking SQLite calls stay off the concurrency pool")
    func transactionsRunOnTheWriterThread() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-thread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try SQLiteDatabase(path: folder.appendingPathComponent("test.sqlite").path)
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await database.transaction { db in
                        try await db.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
                        return currentThreadName()
                    }
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(names == ["sqlite-writer"])
        #expect(try await database.query("SELECT 1 AS one").first?.int("one") == 1)
    }
}

/// Values appended from the SQLite thread, read from the test.
private final class LockedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int] = []

    func append(_ value: Int) {
        lock.withLock { stored.append(value) }
    }

    var values: [Int] { lock.withLock { stored } }
}

/// An actor whose executor is a worker thread.
private actor PinnedCounter {
    let thread: WorkerThread
    private var count = 0

    init(thread: WorkerThread) {
        self.thread = thread
    }

    nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    /// Counts and reports the thread it ran on.
    func increment() -> (Int, String) {
        count += 1
        return (count, currentThreadName())
    }
}
