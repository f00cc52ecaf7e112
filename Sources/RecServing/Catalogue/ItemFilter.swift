import RecCore

/// Which items a request allows: categories, property values, explicit exclusions. Availability is always required.
public struct ItemFilter: Sendable {
    /// A filter that allows every available item.
    public init() {}

    /// Allowed categories (nil: any).
    public var categories: Set<String>?
    /// Properties an item must have with exactly these values.
    public var properties: [String: JSONValue] = [:]
    /// Items never to return.
    public var excluded: Set<String> = []

    /// Whether the filter narrows by category or properties (exclusions aside).
    public var narrows: Bool { categories != nil || !properties.isEmpty }

    /// Whether `item` (with id `id`) passes.
    public func allows(_ id: String, _ item: CatalogueItem) -> Bool {
        guard item.available, !excluded.contains(id) else { return false }
        if let categories {
            guard let category = item.category, categories.contains(category) else { return false }
        }
        for (key, value) in properties where item.properties[key] != value { return false }
        return true
    }
}
