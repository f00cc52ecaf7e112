/// A tenant's end user, known by the tenant's own id.
public struct User: Sendable, Equatable {
    /// The tenant's own id for the user.
    public var userID: String
    /// Free-form properties.
    public var properties: [String: JSONValue]
    /// Last change in Unix milliseconds.
    public var updatedAt: Int64

    /// Creates a user.
    public init(userID: String, properties: [String: JSONValue] = [:], updatedAt: Int64 = 0) {
        self.userID = userID
        self.properties = properties
        self.updatedAt = updatedAt
    }
}
