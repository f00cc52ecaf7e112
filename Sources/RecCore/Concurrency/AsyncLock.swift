import Synchronization

/// A lock held across suspension points: `withLock` runs its body for one caller at a time, in arrival order, and
/// waiting callers suspend instead of blocking their thread (actors would interleave at every `await`).
public final class AsyncLock: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }

    private let state = Mutex(State())

    /// An unheld lock.
    public init() {}

    /// Runs `body` holding the lock.
    public func withLock<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        let acquired = state.withLock { state -> Bool in
            guard state.held else {
                state.held = true
                return true
            }
            return false
        }
        if acquired { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                // Released meanwhile: take it at once.
                guard state.held else {
                    state.held = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.head < state.waiters.count else {
                state.held = false
                state.waiters.removeAll(keepingCapacity: true)
                state.head = 0
                return nil
            }
            // Handed over: the lock stays held by the waiter resumed.
            let next = state.waiters[state.head]
            state.head += 1
            return next
        }
        next?.resume()
    }
}
