/// One stored interaction as the interaction tail hands it over (serving, the monitors and the training snapshot each
/// read the columns they need).
public struct TailedInteraction: Sendable, Equatable {
    /// Row id.
    public let id: Int64
    /// The user.
    public let userID: String
    /// The item.
    public let itemID: String
    /// The interaction type.
    public let type: String
    /// The event's weight from its type.
    public let weight: Double
    /// When it happened (Unix milliseconds).
    public let timestamp: Int64
    /// The served list it answers, when the client said so.
    public let recommendationID: String?

    /// A row.
    public init(id: Int64, userID: String, itemID: String, type: String, weight: Double, timestamp: Int64, recommendationID: String?) {
        self.id = id
        self.userID = userID
        self.itemID = itemID
        self.type = type
        self.weight = weight
        self.timestamp = timestamp
        self.recommendationID = recommendationID
    }
}
