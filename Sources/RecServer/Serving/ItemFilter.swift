import RecCore

/// Which items a request allows: categories, property values, explicit exclusions. Availability is always required.
struct ItemFilter: Sendable {
    /// Allowed categories (nil: any).
    var categories: Set<String>?
    /// Properties an item must have with exactly these values.
    var properties: [String: JSONValue] = [:]
    /// Items never to return.
    var excluded: Set<String> = []

    /// Whether the filter narrows by category or properties (exclusions aside).
    var narrows: Bool { categories != nil || !properties.isEmpty }

    /// Whether `item` (with id `id`) passes.
    func allows(_ id: String, _ item: CatalogueItem) -> Bool {
        guard item.available, !excluded.contains(id) else { return false }
        if let categories {
            guard let category = item.category, categories.contains(category) else { return false }
        }
        for (key, value) in properties where item.properties[key] != value { return false }
        return true
    }
}
