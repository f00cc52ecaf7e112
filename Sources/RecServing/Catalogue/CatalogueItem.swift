import RecCore
import RecModels

/// What serving needs to know about one catalogue item to filter it (and, for models that place items by their
/// features, to describe it).
public struct CatalogueItem: Sendable {
    /// Display title, if any.
    public let title: String?
    /// Category name, if any.
    public let category: String?
    /// Free tags.
    public let tags: [String]
    /// Free-form properties the `properties` filter matches.
    public let properties: [String: JSONValue]
    /// Whether the item may be recommended.
    public let available: Bool

    /// The serving view of a stored item.
    public init(_ item: Item) {
        title = item.title
        category = item.category
        tags = item.tags
        properties = item.properties
        available = item.available
    }

    /// The item's features, as a model that reads them sees them.
    public var features: EntityFeatures {
        EntityFeatures(item: Item(itemID: "", title: title, category: category, tags: tags, properties: properties, available: available))
    }
}
