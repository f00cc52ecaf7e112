import RecCore
import RecModels
import RecStore

/// Reads a tenant's interactions into a training dataset through the interaction tail, mapping ids to dense indices.
/// Events whose weight is not positive (types configured to weigh 0 or less) do not train.
enum TrainingSnapshot {
    /// The tenant's interactions as a dataset (timestamps in Unix seconds), and the id of the last row read.
    static func read(store: RecordStore, tenantID: String, isCancelled: () -> Bool) async throws -> (dataset: Dataset, lastID: Int64) {
        var users: [String: Int32] = [:]
        var items: [String: Int32] = [:]
        var userIDs: [String] = []
        var itemIDs: [String] = []
        var events: [IndexedInteraction] = []
        let tail = InteractionTail(store: store, tenantID: tenantID)
        while true {
            let page = try await tail.next()
            for row in page where row.weight > 0 && row.weight.isFinite {
                let user = users[row.userID] ?? {
                    let index = Int32(userIDs.count)
                    users[row.userID] = index
                    userIDs.append(row.userID)
                    return index
                }()
                let item = items[row.itemID] ?? {
                    let index = Int32(itemIDs.count)
                    items[row.itemID] = index
                    itemIDs.append(row.itemID)
                    return index
                }()
                events.append(IndexedInteraction(user: user, item: item, weight: Float(row.weight), timestamp: row.timestamp / 1000))
            }
            if page.count < InteractionTail.pageSize || isCancelled() { break }
        }
        return (Dataset(userIDs: userIDs, itemIDs: itemIDs, interactions: events), tail.highestID)
    }

    /// The tenant's catalogue and user properties as model features, by external id (for models that read them).
    static func features(store: RecordStore, tenantID: String, isCancelled: () -> Bool) async throws -> (items: [String: EntityFeatures], users: [String: EntityFeatures]) {
        let pageSize = 1_000
        var items: [String: EntityFeatures] = [:]
        var after: String?
        while !isCancelled() {
            let page = try await store.items(tenantID: tenantID, after: after, limit: pageSize)
            for item in page { items[item.itemID] = EntityFeatures(item: item) }
            guard page.count == pageSize, let last = page.last else { break }
            after = last.itemID
        }
        var users: [String: EntityFeatures] = [:]
        after = nil
        while !isCancelled() {
            let page = try await store.users(tenantID: tenantID, after: after, limit: pageSize)
            for user in page where !user.properties.isEmpty { users[user.userID] = EntityFeatures(userProperties: user.properties) }
            guard page.count == pageSize, let last = page.last else { break }
            after = last.userID
        }
        return (items, users)
    }
}
