import RecCore

/// What serving needs to know about one catalogue item to filter it.
public struct CatalogueItem: Sendable {
    /// Category name, if any.
    public let category: String?
    /// Free-form properties the `properties` filter matches.
    public let properties: [String: JSONValue]
    /// Whether the item may be recommended.
    public let available: Bool

    /// The serving view of a stored item.
    public init(_ item: Item) {
        category = item.category
        properties = item.properties
        available = item.available
    }
}
