import Synchronization

/// Whether start-up work (migrations) has finished, for `/health/ready`.
public final class Readiness: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates a not-yet-ready state.
    public init() {}

    /// Whether migrations ran.
    public var migrated: Bool { flag.load(ordering: .acquiring) }

    /// Marks migrations as done.
    public func markMigrated() { flag.store(true, ordering: .releasing) }
}
