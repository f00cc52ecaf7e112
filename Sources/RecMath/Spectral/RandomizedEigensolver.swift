/// The leading eigenpairs of AᵀA for a sparse A, by randomised subspace iteration (Halko, Martinsson & Tropp 2011):
/// a seeded Gaussian block of `rank + oversampling` columns is multiplied by AᵀA `iterations` times, orthonormalised
/// after each, and a Rayleigh–Ritz step on the final block gives the eigenpairs. AᵀA is never formed: each step is two
/// sparse × dense products (A·Q, then Aᵀ·(A·Q)). Orthonormalisation goes through the block's Gram matrix and a small
/// symmetric eigenproblem (twice before the Ritz step), so the dense work is `ssyrk`, `sgemm` and `ssyevd`.
public struct RandomizedEigensolver: Sendable {
    /// Eigenpairs wanted.
    public let rank: Int
    /// Multiplications by AᵀA.
    public let iterations: Int
    /// Extra columns carried beyond `rank` (they sharpen the leading pairs).
    public let oversampling: Int
    /// Seed of the starting block.
    public let seed: UInt64
    /// Workers for the products.
    public let threads: Int

    /// A solver for the leading `rank` pairs.
    public init(rank: Int, iterations: Int, oversampling: Int = 32, seed: UInt64, threads: Int) {
        self.rank = max(1, rank)
        self.iterations = max(1, iterations)
        self.oversampling = max(0, oversampling)
        self.seed = seed
        self.threads = max(1, threads)
    }

    /// The leading pairs of AᵀA, given A (`matrix`) and its transpose (`transpose`, in CSR form). At most
    /// `min(rank, A.rows, A.cols)` pairs come back. `shouldStop` is polled between iterations, and `progress` is told
    /// each completed one.
    public func solve(
        _ matrix: SparseMatrix, transpose: SparseMatrix,
        shouldStop: () -> Bool = { false }, progress: (_ done: Int, _ of: Int) -> Void = { _, _ in }
    ) throws(EigensolverError) -> GramEigenpairs {
        precondition(transpose.rows == matrix.cols && transpose.cols == matrix.rows, "transpose does not match the matrix")
        let kept = min(rank, matrix.rows, matrix.cols)
        let width = min(kept + oversampling, matrix.rows, matrix.cols)
        guard kept > 0 else { return GramEigenpairs(values: [], vectors: DenseMatrix(rows: matrix.cols, cols: 0)) }
        var generator = SeededGenerator(seed: seed)
        var block = DenseMatrix(rows: matrix.cols, cols: width)
        for index in block.values.indices { block.values[index] = generator.nextGaussian() }
        block = try orthonormalized(block, passes: 1)
        for step in 1...iterations {
            if shouldStop() { throw .stopped }
            let projected = transpose.times(matrix.times(block, threads: threads), threads: threads)
            block = try orthonormalized(projected, passes: step == iterations ? 2 : 1)
            progress(step, iterations)
        }
        if shouldStop() { throw .stopped }
        // Rayleigh–Ritz: the eigenpairs of Qᵀ(AᵀA)Q = (AQ)ᵀ(AQ), lifted back by Q.
        var ritz = BLAS.gram(matrix.times(block, threads: threads), threads: threads)
        var values = [Float](repeating: 0, count: width)
        guard LAPACK.symmetricEigen(&ritz, eigenvalues: &values) else { throw .notConverged }
        // LAPACK orders ascending: keep the last `kept` columns, largest first.
        var leading = DenseMatrix(rows: width, cols: kept)
        for row in 0..<width {
            for column in 0..<kept { leading[row, column] = ritz[row, width - 1 - column] }
        }
        let vectors = BLAS.product(block, leading, threads: threads)
        return GramEigenpairs(values: (0..<kept).map { max(0, values[width - 1 - $0]) }, vectors: vectors)
    }

    /// An orthonormal basis of `block`'s column space: with YᵀY = U·Λ·Uᵀ, the columns of Y·U·Λ^(-1/2). Directions whose
    /// squared length is below 10⁻⁶ of the largest (numerically absent) become zero columns. A second pass removes
    /// the loss of orthogonality that squaring the condition number causes in single precision.
    private func orthonormalized(_ block: DenseMatrix, passes: Int) throws(EigensolverError) -> DenseMatrix {
        var current = block
        for _ in 0..<passes {
            var gram = BLAS.gram(current, threads: threads)
            var lengths = [Float](repeating: 0, count: gram.rows)
            guard LAPACK.symmetricEigen(&gram, eigenvalues: &lengths) else { throw .notConverged }
            let largest = lengths.last ?? 0
            for column in 0..<gram.cols {
                let scale: Float = largest > 0 && lengths[column] > largest * 1e-6 ? 1 / lengths[column].squareRoot() : 0
                for row in 0..<gram.rows { gram[row, column] *= scale }
            }
            current = BLAS.product(current, gram, threads: threads)
        }
        return current
    }
}
