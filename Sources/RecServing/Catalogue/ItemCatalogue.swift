import RecCore

/// A tenant's catalogue as serving filters it: the items that exist, their category, properties and availability.
/// Immutable; a change produces a new value (items deleted are simply absent, so they can never be served).
public struct ItemCatalogue: Sendable {
    /// Every item by id.
    public let items: [String: CatalogueItem]
    /// Item ids in a fixed order (sorted), for the last-resort fill of a short list.
    public let order: [String]
    /// Items per category, in `order`.
    public let members: [String: [String]]
    /// Increases with every change, so views built on an older catalogue can tell.
    public let generation: Int

    /// A catalogue of `items`.
    public init(items: [String: CatalogueItem], generation: Int) {
        self.items = items
        self.generation = generation
        order = items.keys.sorted()
        var members: [String: [String]] = [:]
        for id in order {
            if let category = items[id]?.category { members[category, default: []].append(id) }
        }
        self.members = members
    }

    /// This catalogue with `upserted` items replaced or added and `deleted` ids removed.
    public func applying(upserted: [Item], deleted: [String]) -> ItemCatalogue {
        var items = self.items
        for item in upserted { items[item.itemID] = CatalogueItem(item) }
        for id in deleted { items[id] = nil }
        return ItemCatalogue(items: items, generation: generation + 1)
    }
}
