import Foundation
import RecMath

/// Events with the external ids behind their dense indices: what the loaders produce and splits divide.
public struct Dataset: Sendable {
    /// External user id of each dense user index.
    public var userIDs: [String]
    /// External item id of each dense item index.
    public var itemIDs: [String]
    /// The events.
    public var interactions: [IndexedInteraction]
    /// Each item index's features (category, tags, title, properties); empty when none were given.
    public var itemFeatures: [EntityFeatures]
    /// Each user index's features (their properties); empty when none were given.
    public var userFeatures: [EntityFeatures]

    /// Creates a dataset; features, when given, have one entry per item (or user) index.
    public init(userIDs: [String], itemIDs: [String], interactions: [IndexedInteraction],
                itemFeatures: [EntityFeatures] = [], userFeatures: [EntityFeatures] = []) {
        precondition(itemFeatures.isEmpty || itemFeatures.count == itemIDs.count, "one feature entry per item")
        precondition(userFeatures.isEmpty || userFeatures.count == userIDs.count, "one feature entry per user")
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.interactions = interactions
        self.itemFeatures = itemFeatures
        self.userFeatures = userFeatures
    }

    /// The same dataset with features looked up by external id (ids without an entry get none).
    public func withFeatures(items: [String: EntityFeatures], users: [String: EntityFeatures]) -> Dataset {
        Dataset(
            userIDs: userIDs, itemIDs: itemIDs, interactions: interactions,
            itemFeatures: items.isEmpty ? [] : itemIDs.map { items[$0] ?? .empty },
            userFeatures: users.isEmpty ? [] : userIDs.map { users[$0] ?? .empty }
        )
    }

    /// The same dataset with `ids` added to the item id space (those not in it yet, in the given order), with no
    /// interactions: items a model may place from their features alone.
    public func addingItems(_ ids: [String]) -> Dataset {
        var known = Set(itemIDs)
        let added = ids.filter { known.insert($0).inserted }
        guard !added.isEmpty else { return self }
        return Dataset(
            userIDs: userIDs, itemIDs: itemIDs + added, interactions: interactions,
            itemFeatures: itemFeatures.isEmpty ? [] : itemFeatures + added.map { _ in .empty }, userFeatures: userFeatures
        )
    }

    /// Whether any item or user has features.
    public var hasFeatures: Bool { !itemFeatures.isEmpty || !userFeatures.isEmpty }

    /// Number of users.
    public var userCount: Int { userIDs.count }
    /// Number of items.
    public var itemCount: Int { itemIDs.count }

    /// The same id space and features with other events (e.g. one side of a split).
    public func with(_ interactions: [IndexedInteraction]) -> Dataset {
        Dataset(userIDs: userIDs, itemIDs: itemIDs, interactions: interactions, itemFeatures: itemFeatures, userFeatures: userFeatures)
    }

    /// Aggregates the events into a user × item matrix: duplicates sum, and with `halfLifeDays` each event's
    /// weight halves for every half-life it is older than the newest event.
    public func matrix(halfLifeDays: Double = 0) -> InteractionMatrix {
        let newest = interactions.lazy.map(\.timestamp).max() ?? 0
        let decay = halfLifeDays > 0 ? 1 / (halfLifeDays * 86_400) : 0
        let entries = interactions.map { event -> (row: Int32, col: Int32, value: Float) in
            var weight = event.weight
            if decay > 0, event.timestamp > 0 {
                weight *= Float(exp2(-Double(newest - event.timestamp) * decay))
            }
            return (event.user, event.item, weight)
        }
        return InteractionMatrix(userItems: SparseMatrix(rows: userCount, cols: itemCount, entries: entries))
    }
}
