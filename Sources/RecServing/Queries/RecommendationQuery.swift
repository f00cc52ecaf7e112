/// A validated request for a user's recommendations, as a controller hands it to serving.
public struct RecommendationQuery: Sendable {
    /// The tenant asking.
    public let tenantID: String
    /// The user to recommend for.
    public let userID: String
    /// How many items to return.
    public let count: Int
    /// Categories, properties and explicit exclusions.
    public let filter: ItemFilter
    /// Whether items the user already interacted with (within the history cap) are left out.
    public let excludeSeen: Bool

    /// The most items one request may ask for.
    public static let maxCount = 1_000

    /// A query.
    public init(tenantID: String, userID: String, count: Int, filter: ItemFilter, excludeSeen: Bool) {
        self.tenantID = tenantID
        self.userID = userID
        self.count = count
        self.filter = filter
        self.excludeSeen = excludeSeen
    }
}
