import RecCore

/// What serving needs to know about one catalogue item to filter it.
struct CatalogueItem: Sendable {
    /// Category name, if any.
    let category: String?
    /// Free-form properties the `properties` filter matches.
    let properties: [String: JSONValue]
    /// Whether the item may be recommended.
    let available: Bool

    init(_ item: Item) {
        category = item.category
        properties = item.properties
        available = item.available
    }
}
