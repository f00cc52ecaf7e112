/// The outbox by status.
public struct DeliveryCounts: Sendable, Equatable {
    /// Waiting for a first or further attempt.
    public let pending: Int
    /// Accepted by the receiver.
    public let delivered: Int
    /// Given up after the last retry.
    public let abandoned: Int

    /// Creates the counts.
    public init(pending: Int, delivered: Int, abandoned: Int) {
        self.pending = pending
        self.delivered = delivered
        self.abandoned = abandoned
    }
}
