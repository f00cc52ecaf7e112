import RecMath

/// Item-to-item similarities (each item's top neighbours); a user's score for an item sums the similarities
/// from the items in their history, weighted by their interaction weight.
public struct ItemSimilarityModel: RecommendationModel {
    /// The model family.
    public var kind: ModelKind { .itemknn }
    /// Row i holds item i's neighbours and similarities.
    public let neighbours: SparseMatrix
    /// Users seen in training.
    public let userCount: Int

    /// Creates a model from a neighbour matrix.
    public init(neighbours: SparseMatrix, userCount: Int) {
        self.neighbours = neighbours
        self.userCount = userCount
    }

    /// Number of items.
    public var itemCount: Int { neighbours.rows }

    /// Accumulates neighbour similarities from each user's history.
    public func scores(users: Range<Int>, history: SparseMatrix, into output: UnsafeMutablePointer<Float>) {
        let n = itemCount
        for (local, user) in users.enumerated() {
            let row = output + local * n
            row.update(repeating: 0, count: n)
            guard user < history.rows else { continue }
            for slot in history.range(ofRow: user) {
                let item = Int(history.columns[slot])
                let weight = history.values[slot]
                for neighbour in neighbours.range(ofRow: item) {
                    row[Int(neighbours.columns[neighbour])] += weight * neighbours.values[neighbour]
                }
            }
        }
    }
}
