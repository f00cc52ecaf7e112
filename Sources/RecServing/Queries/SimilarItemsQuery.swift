/// A validated request for the items most like one item.
public struct SimilarItemsQuery: Sendable {
    /// The tenant asking.
    public let tenantID: String
    /// The item the answer is like (never in the answer).
    public let itemID: String
    /// How many items to return.
    public let count: Int
    /// Categories allowed (properties and exclusions too, though the API sets only categories).
    public let filter: ItemFilter
    /// The user the list is shown to, if the caller says: an experiment routes by them.
    public let userID: String?

    /// A query; `itemID` is added to the filter's exclusions.
    public init(tenantID: String, itemID: String, count: Int, filter: ItemFilter, userID: String? = nil) {
        self.tenantID = tenantID
        self.itemID = itemID
        self.userID = userID
        self.count = count
        var filter = filter
        filter.excluded.insert(itemID)
        self.filter = filter
    }
}
