/// The leading eigenpairs of a Gram matrix AᵀA: eigenvalues in descending order and their eigenvectors, orthonormal
/// (or zero, with eigenvalue 0, where A's numerical rank is below the pairs asked for).
public struct GramEigenpairs: Sendable {
    /// The eigenvalues (the squared singular values of A), largest first, never negative.
    public let values: [Float]
    /// One row per column of A, one column per eigenvalue (row-major `A.cols × values.count`).
    public let vectors: DenseMatrix

    /// Pairs `values` with the columns of `vectors`.
    public init(values: [Float], vectors: DenseMatrix) {
        precondition(vectors.cols == values.count, "one eigenvector column per eigenvalue")
        self.values = values
        self.vectors = vectors
    }
}
