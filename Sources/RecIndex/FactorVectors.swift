import RecMath

/// What the item indexes are built from: a factor model's item vectors (and biases), and its user vectors, on which
/// the exact scan is calibrated. Training and serving make one from their model; the index knows no model family.
public struct FactorVectors: Sendable {
    /// One row per item.
    public let itemFactors: DenseMatrix
    /// One bias per item, or empty when the model has none (then no bias column is scored).
    public let itemBias: [Float]
    /// One row per user of the model (a sample of them calibrates the exact scan).
    public let userFactors: DenseMatrix

    /// Vectors for the indexes.
    public init(itemFactors: DenseMatrix, itemBias: [Float], userFactors: DenseMatrix) {
        self.itemFactors = itemFactors
        self.itemBias = itemBias
        self.userFactors = userFactors
    }
}
