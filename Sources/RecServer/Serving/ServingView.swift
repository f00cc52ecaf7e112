import RecIndex

/// One consistent pairing of a loaded model and a catalogue, with what filtering needs precomputed over the model's
/// items. A request takes the tenant's current view once and uses only it, so a swap never mixes versions.
final class ServingView: Sendable {
    /// The serving model (nil: the tenant has none yet; everything is answered from popularity).
    let model: LoadedModel?
    /// The catalogue the view was built on.
    let catalogue: ItemCatalogue
    /// Model items that exist in the catalogue and are available.
    let eligible: SelectionBitmap
    /// How many model items are eligible.
    let eligibleCount: Int
    /// Model item indices per category (eligible ones only).
    let categoryMembers: [String: [Int32]]

    init(model: LoadedModel?, catalogue: ItemCatalogue) {
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
