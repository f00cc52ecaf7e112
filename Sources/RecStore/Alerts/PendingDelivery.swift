/// An outbox row claimed for sending, with its webhook's URL and secret.
public struct PendingDelivery: Sendable, Equatable {
    /// The delivery id (sent as `X-Recommender-Delivery`, for receivers to deduplicate retries).
    public let id: String
    /// The webhook.
    public let webhookID: String
    /// Where to POST.
    public let url: String
    /// The signing key.
    public let secret: String
    /// The JSON body.
    public let payload: String
    /// Attempts made before this one.
    public let attempts: Int

    /// Creates a record.
    public init(id: String, webhookID: String, url: String, secret: String, payload: String, attempts: Int) {
        self.id = id
        self.webhookID = webhookID
        self.url = url
        self.secret = secret
        self.payload = payload
        self.attempts = attempts
    }
}
