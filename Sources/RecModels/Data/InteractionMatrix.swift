import RecMath

/// The training data of one run: user × item weights (duplicates summed) with both orientations.
public struct InteractionMatrix: Sendable {
    /// Rows are users, columns items, values aggregated weights.
    public let userItems: SparseMatrix
    /// The transpose: rows are items.
    public let itemUsers: SparseMatrix

    /// Wraps a user × item matrix and computes its transpose.
    public init(userItems: SparseMatrix) {
        self.userItems = userItems
        self.itemUsers = userItems.transposed()
    }

    /// Number of users (rows).
    public var userCount: Int { userItems.rows }
    /// Number of items (columns).
    public var itemCount: Int { userItems.cols }
    /// Number of distinct (user, item) pairs.
    public var pairCount: Int { userItems.nonZeroCount }
}
