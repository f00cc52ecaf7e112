import RecMath

/// EASE's dense item-to-item weights B (zero diagonal); a user's scores are their history row times B.
public struct EASEModel: RecommendationModel {
    /// The model family.
    public var kind: ModelKind { .ease }
    /// The `items × items` weights.
    public let weights: DenseMatrix
    /// Users seen in training.
    public let userCount: Int

    /// Creates a model from its weights.
    public init(weights: DenseMatrix, userCount: Int) {
        precondition(weights.rows == weights.cols, "EASE weights are square")
        self.weights = weights
        self.userCount = userCount
    }

    /// Number of items.
    public var itemCount: Int { weights.rows }

    /// Sums the weight rows of each user's items.
    public func scores(users: Range<Int>, history: SparseMatrix, into output: UnsafeMutablePointer<Float>) {
        let n = itemCount
        weights.values.withUnsafeBufferPointer { b in
            for (local, user) in users.enumerated() {
                let row = output + local * n
                row.update(repeating: 0, count: n)
                guard user < history.rows else { continue }
                for slot in history.range(ofRow: user) {
                    BLAS.axpy(history.values[slot], b.baseAddress! + Int(history.columns[slot]) * n, row, count: n)
                }
            }
        }
    }
}
