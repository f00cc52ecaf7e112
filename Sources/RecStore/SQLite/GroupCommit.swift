import RecCore
import Synchronization

/// Runs SQLite transactions submitted concurrently as savepoints inside one shared transaction, so one commit (one
/// WAL write) serves every request that arrived while the previous commit ran. Each submitted body still succeeds
/// or fails alone: a body that throws is rolled back to its savepoint, and nobody is answered before the shared
/// commit succeeded. Groups run on the writer's own thread, bodies included (it is their task's executor preference).
final class GroupCommit: Sendable {
    /// One submitted transaction body and how to answer its caller.
    private struct Pending: Sendable {
        let run: @Sendable (any SQLExecutor) async throws -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    private let connection: SQLiteConnection
    private let thread: WorkerThread
    private let queue = Mutex<(pending: [Pending], draining: Bool)>(([], false))
    /// The most bodies one shared transaction takes.
    static let maxGroup = 512

    /// Set while a body runs inside a group: a body that submitted another transaction would wait for a group that
    /// cannot start until it returns.
    @TaskLocal static var insideGroup = false

    init(connection: SQLiteConnection, thread: WorkerThread) {
        self.connection = connection
        self.thread = thread
    }

    /// Runs `body` in the next group and returns its value once that group has committed.
    func submit<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        // Programmer error, not input: a transaction body must use the executor it was given, never the database.
        precondition(!Self.insideGroup, "a SQLite transaction body started another transaction; use the executor it was given")
        let box = ValueBox<T>()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let pending = Pending(
                run: { executor in box.set(try await body(executor)) },
                finish: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                }
            )
            let startDrainer = queue.withLock { state -> Bool in
                state.pending.append(pending)
                if state.draining { return false }
                state.draining = true
                return true
            }
            if startDrainer {
                Task(executorPreference: thread) { await self.drain() }
            }
        }
        // `set` ran before the group committed and `finish(nil)` was called.
        return box.take()
    }

    private func drain() async {
        while true {
            let group = queue.withLock { state -> [Pending] in
                let group = Array(state.pending.prefix(Self.maxGroup))
                state.pending.removeFirst(group.count)
                if group.isEmpty { state.draining = false }
                return group
            }
            if group.isEmpty { return }
            // Only one drainer runs at a time (`draining`), so the writer connection needs no further lock.
            await run(group)
        }
    }

    private func run(_ group: [Pending]) async {
        let executor = SQLiteTransaction(connection: connection)
        do {
            try connection.exec("BEGIN IMMEDIATE")
        } catch {
            for pending in group { pending.finish(error) }
            return
        }
        var outcomes: [(any Error)?] = []
        outcomes.reserveCapacity(group.count)
        for pending in group {
            var failure: (any Error)?
            do {
                try connection.exec("SAVEPOINT member")
                do {
                    try await Self.$insideGroup.withValue(true) { try await pending.run(executor) }
                    try connection.exec("RELEASE member")
                } catch {
                    failure = error
                    try connection.exec("ROLLBACK TO member")
                    try connection.exec("RELEASE member")
                }
                outcomes.append(failure)
            } catch {
                // SQLite rolled the whole transaction back (I/O error, disk full): nothing of the group is stored.
                // Report the error that caused it, not the missing savepoint.
                try? connection.exec("ROLLBACK")
                for pending in group { pending.finish(failure ?? error) }
                return
            }
        }
        do {
            try connection.exec("COMMIT")
        } catch {
            try? connection.exec("ROLLBACK")
            for pending in group { pending.finish(error) }
            return
        }
        for (pending, outcome) in zip(group, outcomes) { pending.finish(outcome) }
    }
}

/// Carries one transaction's value from the writer to its caller.
private final class ValueBox<T: Sendable>: Sendable {
    private let value = Mutex<T?>(nil)

    func set(_ newValue: T) {
        value.withLock { $0 = newValue }
    }

    func take() -> T {
        // `submit` only returns normally after `set` ran for this box (the body succeeded and the group committed).
        value.withLock { $0! }
    }
}
