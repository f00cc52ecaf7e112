import RecMath
import RecTesting
import Testing

@Suite("Sparse and dense kernels")
struct SparseMatrixTests {
    @Test("CSR sums duplicates, sorts columns, and transposes back to itself")
    func csrRoundTrip() async throws {
        try await offTheLoops {
            let matrix = SparseMatrix(rows: 3, cols: 4, entries: [
                (row: 2, col: 3, value: 1), (row: 0, col: 2, value: 2), (row: 0, col: 1, value: 1),
                (row: 2, col: 3, value: 4), (row: 1, col: 0, value: 3),
            ])
            #expect(matrix.rowStart == [0, 2, 3, 4])
            #expect(matrix.columns == [1, 2, 0, 3])
            #expect(matrix.values == [1, 2, 3, 5])
            let transposed = matrix.transposed()
            #expect(transposed.rows == 4 && transposed.cols == 3)
            #expect(transposed.rowStart == [0, 1, 2, 3, 4])
            #expect(transposed.columns == [1, 0, 0, 2])
            #expect(transposed.values == [3, 1, 2, 5])
            #expect(transposed.transposed() == matrix)
        }
    }

    @Test("Gram matrix and Cholesky solve agree with a hand computation")
    func gramAndSolve() async throws {
        try await offTheLoops {
            // A = [[1,2],[3,4],[5,6]]; AᵀA = [[35,44],[44,56]].
            let a = DenseMatrix(rows: 3, cols: 2, values: [1, 2, 3, 4, 5, 6])
            let gram = BLAS.gram(a)
            #expect(gram.values == [35, 44, 44, 56])
            var system = gram.values
            var rhs: [Float] = [79, 100] // x = (1, 1)
            let ok = system.withUnsafeMutableBufferPointer { s in
                rhs.withUnsafeMutableBufferPointer { b in LAPACK.solvePositiveDefinite(n: 2, nrhs: 1, a: s.baseAddress!, b: b.baseAddress!) }
            }
            #expect(ok)
            #expect(abs(rhs[0] - 1) < 1e-3 && abs(rhs[1] - 1) < 1e-3)
            var inverse = gram
            #expect(LAPACK.invertPositiveDefinite(&inverse))
            // gram · inverse = I
            let product = (0..<4).map { index -> Float in
                let (row, col) = (index / 2, index % 2)
                return gram[row, 0] * inverse[0, col] + gram[row, 1] * inverse[1, col]
            }
            #expect(zip(product, [1, 0, 0, 1] as [Float]).allSatisfy { abs($0 - $1) < 1e-3 })
            var singular = DenseMatrix(rows: 2, cols: 2, values: [1, 1, 1, 1])
            #expect(!LAPACK.invertPositiveDefinite(&singular))
        }
    }

    @Test("Top-K keeps the best scores in order and skips non-finite ones")
    func topK() async throws {
        try await offTheLoops {
            var top = TopK(k: 3)
            let scores: [Float] = [0.1, 5, -.infinity, 3, 9, 3, .nan, 7]
            scores.withUnsafeBufferPointer { top.offer(all: $0) }
            let kept = top.sorted()
            #expect(kept.map(\.index) == [4, 7, 1])
            #expect(kept.map(\.score) == [9, 7, 5])
        }
    }

    @Test("The parallel loop visits every index exactly once")
    func parallelLoopCoversRange() async throws {
        try await offTheLoops {
            var hits = [Int](repeating: 0, count: 10_001)
            hits.withUnsafeMutableBufferPointer { buffer in
                let shared = SharedBuffer(buffer)
                ParallelLoop.run(count: 10_001, threads: 4, chunkSize: 97) { range, worker in
                    #expect(worker >= 0 && worker < 4)
                    for index in range { shared[index] += 1 }
                }
            }
            #expect(hits.allSatisfy { $0 == 1 })
        }
    }
}
