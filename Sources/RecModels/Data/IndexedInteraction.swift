/// One event in dense index space: who, what, how much (the type's weight) and when (Unix seconds, 0 if unknown).
public struct IndexedInteraction: Sendable, Equatable {
    /// Dense user index.
    public var user: Int32
    /// Dense item index.
    public var item: Int32
    /// The event's weight before aggregation.
    public var weight: Float
    /// Unix seconds; 0 when the source has no time.
    public var timestamp: Int64

    /// Creates an event.
    public init(user: Int32, item: Int32, weight: Float = 1, timestamp: Int64 = 0) {
        self.user = user
        self.item = item
        self.weight = weight
        self.timestamp = timestamp
    }
}
