/// A customer business whose data is isolated from every other tenant's.
public struct Tenant: Sendable, Equatable, Codable {
    /// Whether a tenant may use the API.
    public enum Status: String, Sendable, Codable {
        case active
        case suspended
    }

    /// The opaque tenant id (`t_…`).
    public let id: String
    /// The display name given at creation.
    public var name: String
    /// Active or suspended.
    public var status: Status
    /// Creation time in Unix milliseconds.
    public let createdAt: Int64
    /// Sustained requests per second allowed, overriding the service default when set.
    public var rateLimitPerSecond: Double?
    /// Burst size of the token bucket, overriding the service default when set.
    public var rateLimitBurst: Int?

    /// Creates a tenant value.
    public init(id: String, name: String, status: Status, createdAt: Int64, rateLimitPerSecond: Double? = nil, rateLimitBurst: Int? = nil) {
        self.id = id
        self.name = name
        self.status = status
        self.createdAt = createdAt
        self.rateLimitPerSecond = rateLimitPerSecond
        self.rateLimitBurst = rateLimitBurst
    }
}
