import Synchronization

/// Lets request handlers nudge a background worker: the worker waits up to an interval, or less when woken.
public final class WakeSignal: Sendable {
    private let pending = Atomic<Bool>(false)

    /// A signal with nothing pending.
    public init() {}

    /// Marks work as waiting.
    public func wake() {
        pending.store(true, ordering: .relaxed)
    }

    /// Returns when woken (consuming the wake-up), after `timeout`, when the task is cancelled, or when `stopWhen`
    /// holds (checked every 50 ms).
    public func wait(for timeout: Duration = .seconds(1), stopWhen: () -> Bool = { false }) async {
        var waited = Duration.zero
        while !pending.exchange(false, ordering: .relaxed), waited < timeout, !Task.isCancelled, !stopWhen() {
            try? await Task.sleep(for: .milliseconds(50))
            waited += .milliseconds(50)
        }
    }
}
