import Synchronization

/// A counter that hands out indexes in turn.
final class RoundRobin: Sendable {
    private let counter = Atomic<Int>(0)

    /// The next index below `count`.
    func next(_ count: Int) -> Int {
        let value = counter.add(1, ordering: .relaxed).oldValue
        return (value & Int.max) % count
    }
}
