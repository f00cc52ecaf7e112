import RecMath
import RecTesting
import Testing

@Suite("Randomised eigensolver and sparse × dense products")
struct RandomizedEigensolverTests {
    /// A seeded `rows × cols` sparse matrix with about `density` of its entries set to values in (0, 1].
    static func sparse(rows: Int, cols: Int, density: Float, seed: UInt64) -> SparseMatrix {
        var generator = SeededGenerator(seed: seed)
        var entries: [(row: Int32, col: Int32, value: Float)] = []
        for row in 0..<rows {
            for col in 0..<cols where generator.nextUnitFloat() < density {
                entries.append((Int32(row), Int32(col), 1 - generator.nextUnitFloat()))
            }
        }
        return SparseMatrix(rows: rows, cols: cols, entries: entries)
    }

    /// The matrix as a dense one.
    static func dense(_ matrix: SparseMatrix) -> DenseMatrix {
        var result = DenseMatrix(rows: matrix.rows, cols: matrix.cols)
        for row in 0..<matrix.rows {
            for slot in matrix.range(ofRow: row) { result[row, Int(matrix.columns[slot])] = matrix.values[slot] }
        }
        return result
    }

    @Test("a sparse matrix times a dense one matches the dense product")
    func sparseTimesDense() async throws {
        try await offTheLoops {
            let a = Self.sparse(rows: 70, cols: 40, density: 0.2, seed: 1)
            var generator = SeededGenerator(seed: 2)
            let b = DenseMatrix.random(rows: 40, cols: 13, scale: 1, using: &generator)
            let sparse = a.times(b, threads: 2)
            let expected = BLAS.product(Self.dense(a), b)
            #expect(sparse.rows == 70 && sparse.cols == 13)
            for index in expected.values.indices { #expect(abs(sparse.values[index] - expected.values[index]) < 1e-4) }
        }
    }

    @Test("the leading eigenpairs of AᵀA match LAPACK's on the formed Gram matrix, orthonormal and in descending order")
    func matchesExactEigenpairs() async throws {
        try await offTheLoops {
            let a = Self.sparse(rows: 400, cols: 150, density: 0.08, seed: 3)
            let pairs = try RandomizedEigensolver(rank: 12, iterations: 6, seed: 9, threads: 2).solve(a, transpose: a.transposed())
            var gram = BLAS.gram(Self.dense(a))
            let formed = gram
            var exact = [Float](repeating: 0, count: 150)
            #expect(LAPACK.symmetricEigen(&gram, eigenvalues: &exact))
            let leading = Array(exact.reversed().prefix(12))
            #expect(pairs.values.count == 12 && pairs.vectors.rows == 150 && pairs.vectors.cols == 12)
            #expect(zip(pairs.values, pairs.values.dropFirst()).allSatisfy { $0 >= $1 })
            for (found, truth) in zip(pairs.values, leading) { #expect(abs(found - truth) / truth < 2e-3, "\(found) vs \(truth)") }
            for j in 0..<12 {
                let v = (0..<150).map { pairs.vectors[$0, j] }
                // AᵀA·v = λ·v, and v has unit length.
                var residual: Float = 0
                for row in 0..<150 {
                    let product = (0..<150).reduce(Float(0)) { $0 + formed[row, $1] * v[$1] }
                    residual += (product - pairs.values[j] * v[row]) * (product - pairs.values[j] * v[row])
                }
                #expect(residual.squareRoot() < 0.05 * pairs.values[j], "eigenvector \(j)")
                #expect(abs(v.reduce(0) { $0 + $1 * $1 } - 1) < 1e-3)
                if j > 0 {
                    let previous = (0..<150).map { pairs.vectors[$0, j - 1] }
                    #expect(abs(zip(v, previous).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-3)
                }
            }
        }
    }

    @Test("asking for more pairs than the matrix has rank returns its true spectrum and zeros, never NaN; the stop check is obeyed")
    func rankDeficientAndStopped() async throws {
        try await offTheLoops {
            // 60 × 30 with only three distinct columns (repeated ten times): rank 3.
            var entries: [(row: Int32, col: Int32, value: Float)] = []
            for row in 0..<60 {
                for col in 0..<30 where row % 3 == col % 3 { entries.append((Int32(row), Int32(col), 1)) }
            }
            let a = SparseMatrix(rows: 60, cols: 30, entries: entries)
            let pairs = try RandomizedEigensolver(rank: 8, iterations: 3, seed: 1, threads: 1).solve(a, transpose: a.transposed())
            #expect(pairs.values.count == 8)
            #expect(pairs.values.allSatisfy { !$0.isNaN } && pairs.vectors.values.allSatisfy { !$0.isNaN })
            // Each block is a 20 × 10 all-ones matrix: its one non-zero eigenvalue is 20 · 10.
            for value in pairs.values.prefix(3) { #expect(abs(value - 200) < 0.1) }
            for value in pairs.values.dropFirst(3) { #expect(value < 1e-2) }
            #expect(throws: EigensolverError.stopped) {
                _ = try RandomizedEigensolver(rank: 4, iterations: 3, seed: 1, threads: 1).solve(a, transpose: a.transposed(), shouldStop: { true })
            }
        }
    }
}
