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

    /// Creates a dataset.
    public init(userIDs: [String], itemIDs: [String], interactions: [IndexedInteraction]) {
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.interactions = interactions
    }

    /// Number of users.
    public var userCount: Int { userIDs.count }
    /// Number of items.
    public var itemCount: Int { itemIDs.count }

    /// The same id space with other events (e.g. one side of a split).
    public func with(_ interactions: [IndexedInteraction]) -> Dataset {
        Dataset(userIDs: userIDs, itemIDs: itemIDs, interactions: interactions)
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
