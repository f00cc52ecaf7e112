import RecMath

/// A latent-factor model (iALS, BPR, LightGCN): a user's score for an item is the dot product of their vectors plus an
/// optional item bias.
public struct FactorModel: RecommendationModel {
    /// Which trainer produced it.
    public let kind: ModelKind
    /// One row per user.
    public let userFactors: DenseMatrix
    /// One row per item.
    public let itemFactors: DenseMatrix
    /// Per-item bias added to every score (empty when the model has none).
    public let itemBias: [Float]
    /// Each item's degree in the training graph, for models whose new users are propagated from their items
    /// (LightGCN; empty for the others).
    public let itemDegrees: [Float]

    /// Creates a model from its factors.
    public init(kind: ModelKind, userFactors: DenseMatrix, itemFactors: DenseMatrix, itemBias: [Float] = [], itemDegrees: [Float] = []) {
        precondition(userFactors.cols == itemFactors.cols, "user and item factors must have the same width")
        precondition(itemBias.isEmpty || itemBias.count == itemFactors.rows, "one bias per item")
        precondition(itemDegrees.isEmpty || itemDegrees.count == itemFactors.rows, "one degree per item")
        self.itemDegrees = itemDegrees
        self.kind = kind
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.itemBias = itemBias
    }

    /// Number of latent factors.
    public var factors: Int { itemFactors.cols }
    /// Number of items.
    public var itemCount: Int { itemFactors.rows }
    /// Number of users.
    public var userCount: Int { userFactors.rows }

    /// Scores by one matrix product: users' factors times the item factors' transpose.
    public func scores(users: Range<Int>, history: SparseMatrix, into output: UnsafeMutablePointer<Float>) {
        guard !users.isEmpty, itemCount > 0 else { return }
        let k = factors
        userFactors.values.withUnsafeBufferPointer { u in
            itemFactors.values.withUnsafeBufferPointer { v in
                BLAS.gemm(transposeB: true, m: users.count, n: itemCount, k: k,
                          a: u.baseAddress! + users.lowerBound * k, lda: k,
                          b: v.baseAddress!, ldb: k, c: output, ldc: itemCount)
            }
        }
        if !itemBias.isEmpty {
            for row in 0..<users.count {
                let scores = output + row * itemCount
                for item in 0..<itemCount { scores[item] += itemBias[item] }
            }
        }
    }
}
