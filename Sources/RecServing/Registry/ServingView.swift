import RecIndex

/// One consistent pairing of a loaded model and a catalogue, with what filtering needs precomputed over the model's
/// items. A request takes the tenant's current view once and uses only it, so a swap never mixes versions.
public final class ServingView: Sendable {
    /// The serving model (nil: the tenant has none yet; everything is answered from popularity).
    public let model: LoadedModel?
    /// The catalogue the view was built on.
    public let catalogue: ItemCatalogue
    /// Model items that exist in the catalogue and are available.
    public let eligible: SelectionBitmap
    /// How many model items are eligible.
    public let eligibleCount: Int
    /// Model item indices per category (eligible ones only).
    public let categoryMembers: [String: [Int32]]

    /// Pairs `model` with `catalogue` (a walk over the model's items: build it off the event loops).
    public init(model: LoadedModel?, catalogue: ItemCatalogue) {
        self.model = model
        self.catalogue = catalogue
        let ids = model?.itemIDs ?? []
        var eligible = SelectionBitmap(count: ids.count, allSelected: false)
        var members: [String: [Int32]] = [:]
        var count = 0
        for (index, id) in ids.enumerated() {
            guard let item = catalogue.items[id], item.available else { continue }
            eligible.insert(index)
            count += 1
            if let category = item.category { members[category, default: []].append(Int32(index)) }
        }
        self.eligible = eligible
        eligibleCount = count
        categoryMembers = members
    }
}
