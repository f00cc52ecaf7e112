import Synchronization

/// A flag workers set once (e.g. "cancelled") and everyone can read.
public final class SharedFlag: Sendable {
    private let value = Atomic<Bool>(false)

    /// A cleared flag.
    public init() {}

    /// Sets the flag.
    public func set() { value.store(true, ordering: .relaxed) }

    /// Whether the flag is set.
    public var isSet: Bool { value.load(ordering: .relaxed) }
}
