/// What followed one served list within its attribution window, as the monitors measured it.
public struct ListOutcome: Sendable, Equatable {
    /// The `recommendation_id`.
    public let id: String
    /// Whether the user interacted with a served item.
    public let hit: Bool
    /// NDCG@10 of the list against what the user interacted with.
    public let ndcg: Double
    /// Whether a conversion (the experiment's conversion type) followed on a served or cited item.
    public let converted: Bool

    /// An outcome.
    public init(id: String, hit: Bool, ndcg: Double, converted: Bool) {
        self.id = id
        self.hit = hit
        self.ndcg = ndcg
        self.converted = converted
    }
}
