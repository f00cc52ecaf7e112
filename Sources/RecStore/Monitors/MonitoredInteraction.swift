/// One interaction as the model monitors read it.
public struct MonitoredInteraction: Sendable, Equatable {
    /// Row id (tail position).
    public let id: Int64
    /// The user.
    public let userID: String
    /// The item.
    public let itemID: String
    /// The interaction type.
    public let type: String
    /// When it happened (Unix milliseconds).
    public let timestamp: Int64
    /// The served list it answers, when the client said so.
    public let recommendationID: String?
}
