import Synchronization

/// Runs SQLite transactions submitted concurrently as savepoints inside one shared transaction, so one commit (one
/// WAL write) serves every request that arrived while the previous commit ran. Each submitted body still succeeds
/// or fails alone: a body that throws is rolled back to its savepoint, and nobody is answered before the shared
/// commit succeeded.
final class GroupCommit: Sendable {
    /// One submitted transaction body and how to answer its caller.
    private struct Pending: Sendable {
        let run: @Sendable (any SQLExecutor) async throws -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    private let connection: SQLiteConnection
    private let lock: AsyncLock
    private let queue = Mutex<(pending: [Pending], draining: Bool)>(([], false))
    /// The most bodies one shared transaction takes.
    static let maxGroup = 512

    init(connection: SQLiteConnection, lock: AsyncLock) {
        self.connection = connection
        self.lock = lock
    }

    /// Runs `body` in the next group and returns its value once that group has committed.
    func submit<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
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
                Task { await self.drain() }
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
            await lock.withLock { await run(group) }
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
            do {
                try connection.exec("SAVEPOINT member")
                do {
                    try await pending.run(executor)
                    try connection.exec("RELEASE member")
                    outcomes.append(nil)
                } catch {
                    try connection.exec("ROLLBACK TO member")
                    try connection.exec("RELEASE member")
                    outcomes.append(error)
                }
            } catch {
                // The savepoint machinery itself failed: the shared transaction cannot be trusted.
                try? connection.exec("ROLLBACK")
                for pending in group { pending.finish(error) }
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
