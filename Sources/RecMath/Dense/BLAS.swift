import CBLAS

/// Thin, typed calls into OpenBLAS for the kernels the models use.
public enum BLAS {
    /// OpenBLAS runs every call on the calling thread: parallelism is ours (`ParallelLoop`), so concurrent callers
    /// (training beside serving) never contend for, or reconfigure, OpenBLAS's own thread pool.
    static let singleThreaded: Void = openblas_set_num_threads(1)

    /// C = alpha · op(A) · op(B) + beta · C on row-major buffers; `m × k` times `k × n`.
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = singleThreaded
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc)
        )
    }

    /// y = alpha · A · x + beta · y for a row-major `m × n` matrix.
    public static func gemv(
        m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        _ = singleThreaded
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// The Gram matrix Aᵀ·A (`cols × cols`, both triangles filled) of a row-major matrix, summed over row blocks
    /// on `threads` workers.
    public static func gram(_ matrix: DenseMatrix, threads: Int = 1) -> DenseMatrix {
        _ = singleThreaded
        let n = matrix.cols
        var result = DenseMatrix(rows: n, cols: n)
        guard matrix.rows > 0, n > 0 else { return result }
        let workers = max(1, min(threads, matrix.rows / 1024 + 1))
        var partial = [Float](repeating: 0, count: workers * n * n)
        let block = (matrix.rows + workers - 1) / workers
        matrix.values.withUnsafeBufferPointer { a in
            partial.withUnsafeMutableBufferPointer { c in
                let a = ReadOnlySharedBuffer(a), c = SharedBuffer(c)
                ParallelLoop.run(count: workers, threads: workers, chunkSize: 1) { range, _ in
                    for worker in range {
                        let first = worker * block
                        let rows = min(block, matrix.rows - first)
                        guard rows > 0 else { continue }
                        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(rows),
                                    1, a.base + first * n, Int32(n), 0, c.base + worker * n * n, Int32(n))
                    }
                }
            }
        }
        for worker in 0..<workers {
            for index in 0..<(n * n) { result.values[index] += partial[worker * n * n + index] }
        }
        result.mirrorUpperTriangle()
        return result
    }

    /// The product A·B of two row-major matrices as a new matrix, row blocks on `threads` workers.
    public static func product(_ a: DenseMatrix, _ b: DenseMatrix, threads: Int = 1) -> DenseMatrix {
        precondition(a.cols == b.rows, "inner dimensions must agree")
        var result = DenseMatrix(rows: a.rows, cols: b.cols)
        guard a.rows > 0, b.cols > 0 else { return result }
        let (k, n) = (a.cols, b.cols)
        a.values.withUnsafeBufferPointer { x in
            b.values.withUnsafeBufferPointer { y in
                result.values.withUnsafeMutableBufferPointer { c in
                    let x = ReadOnlySharedBuffer(x), y = ReadOnlySharedBuffer(y), c = SharedBuffer(c)
                    ParallelLoop.run(count: a.rows, threads: threads, chunkSize: 2048) { range, _ in
                        gemm(m: range.count, n: n, k: k, a: x.base + range.lowerBound * k, lda: k, b: y.base, ldb: n,
                             c: c.base + range.lowerBound * n, ldc: n)
                    }
                }
            }
        }
        return result
    }

    /// Dot product of two `count`-long vectors.
    @inlinable @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        // Sixteen lanes at a time: a scalar float reduction is not vectorised without reassociation.
        // (Multiply then add: `addProduct` lowers to a libm fmaf call per lane.)
        var first = SIMD8<Float>()
        var second = SIMD8<Float>()
        var index = 0
        while index + 16 <= count {
            first += UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
            second += UnsafeRawPointer(x + index + 8).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(y + index + 8).loadUnaligned(as: SIMD8<Float>.self)
            index += 16
        }
        while index + 8 <= count {
            first += UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
            index += 8
        }
        var sum = (first + second).sum()
        while index < count {
            sum += x[index] * y[index]
            index += 1
        }
        return sum
    }

    /// Inner products of `query` with the listed rows of a row-major matrix with `columns` columns.
    /// Not inlinable on purpose: it runs compiled with this module's vector flags wherever it is called from.
    @inline(never)
    public static func rowDots(
        _ matrix: UnsafePointer<Float>, columns: Int, rows: UnsafeBufferPointer<Int32>, query: UnsafePointer<Float>,
        into output: UnsafeMutablePointer<Float>
    ) {
        for (position, row) in rows.enumerated() {
            output[position] = dot(matrix + Int(row) * columns, query, count: columns)
        }
    }

    /// y += alpha · x over `count` entries.
    @inlinable @inline(__always)
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let scale = SIMD8<Float>(repeating: alpha)
        var index = 0
        while index + 8 <= count {
            let a = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
            let b = UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + index).storeBytes(of: b + scale * a, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            y[index] += alpha * x[index]
            index += 1
        }
    }
}

extension DenseMatrix {
    /// Copies the upper triangle onto the lower one of a square matrix.
    public mutating func mirrorUpperTriangle() {
        precondition(rows == cols, "only square matrices have triangles")
        let n = cols
        values.withUnsafeMutableBufferPointer { v in
            for row in 0..<n {
                for col in 0..<row { v[row * n + col] = v[col * n + row] }
            }
        }
    }
}
