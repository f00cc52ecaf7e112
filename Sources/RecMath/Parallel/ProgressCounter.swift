import Synchronization

/// A counter parallel workers add their finished work to.
public final class ProgressCounter: Sendable {
    private let value = Atomic<Int>(0)

    /// A counter at zero.
    public init() {}

    /// Adds `count` and returns the new total.
    @discardableResult
    public func add(_ count: Int) -> Int { value.wrappingAdd(count, ordering: .relaxed).newValue }

    /// The current total.
    public var total: Int { value.load(ordering: .relaxed) }
}
