/// A catalogue entry of one tenant.
public struct Item: Sendable, Equatable {
    /// The tenant's own id for the item.
    public var itemID: String
    /// An optional display title.
    public var title: String?
    /// An optional category used by filters.
    public var category: String?
    /// Free tags.
    public var tags: [String]
    /// Free-form properties used by property filters.
    public var properties: [String: JSONValue]
    /// Whether the item may be recommended.
    public var available: Bool
    /// Last change in Unix milliseconds.
    public var updatedAt: Int64

    /// Creates an item.
    public init(itemID: String, title: String? = nil, category: String? = nil, tags: [String] = [], properties: [String: JSONValue] = [:], available: Bool = true, updatedAt: Int64 = 0) {
        self.itemID = itemID
        self.title = title
        self.category = category
        self.tags = tags
        self.properties = properties
        self.available = available
        self.updatedAt = updatedAt
    }
}
