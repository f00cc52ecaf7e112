import RecMath

/// Scores every item by its (optionally time-decayed) interaction weight, the same for every user.
public struct PopularityModel: RecommendationModel {
    /// The model family.
    public var kind: ModelKind { .popularity }
    /// Each item's score.
    public let itemScores: [Float]
    /// Users seen in training.
    public let userCount: Int

    /// Creates a model from per-item scores.
    public init(itemScores: [Float], userCount: Int) {
        self.itemScores = itemScores
        self.userCount = userCount
    }

    /// Number of items.
    public var itemCount: Int { itemScores.count }

    /// Copies the item scores into every row.
    public func scores(users: Range<Int>, history: SparseMatrix, into output: UnsafeMutablePointer<Float>) {
        itemScores.withUnsafeBufferPointer { scores in
            for row in 0..<users.count {
                (output + row * itemCount).update(from: scores.baseAddress!, count: itemCount)
            }
        }
    }
}
