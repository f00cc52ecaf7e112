/// One event: a user did something with an item.
public struct Interaction: Sendable, Equatable {
    /// The user's id.
    public var userID: String
    /// The item's id.
    public var itemID: String
    /// The interaction type's name, one of the tenant's configured types.
    public var type: String
    /// The confidence weight (the type's default unless given).
    public var weight: Double
    /// When it happened, in Unix milliseconds.
    public var timestamp: Int64
    /// The recommendation this event follows from, for attribution.
    public var recommendationID: String?

    /// Creates an interaction.
    public init(userID: String, itemID: String, type: String, weight: Double, timestamp: Int64, recommendationID: String? = nil) {
        self.userID = userID
        self.itemID = itemID
        self.type = type
        self.weight = weight
        self.timestamp = timestamp
        self.recommendationID = recommendationID
    }
}
