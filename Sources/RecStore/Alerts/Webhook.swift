/// A URL alerts are sent to: a tenant's (alerts about its data and models) or the operator's (every alert).
public struct Webhook: Sendable, Equatable {
    /// The id (`wh_…`).
    public let id: String
    /// The owning tenant; nil for an operator's webhook.
    public let tenantID: String?
    /// Where deliveries are POSTed.
    public let url: String
    /// The HMAC-SHA256 key deliveries are signed with.
    public let secret: String
    /// When it was registered (Unix milliseconds).
    public let createdAt: Int64

    /// Creates a record.
    public init(id: String, tenantID: String?, url: String, secret: String, createdAt: Int64) {
        self.id = id
        self.tenantID = tenantID
        self.url = url
        self.secret = secret
        self.createdAt = createdAt
    }
}
