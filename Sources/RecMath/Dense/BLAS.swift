import CBLAS

/// Thin, typed calls into OpenBLAS for the kernels the models use.
public enum BLAS {
    /// Caps the threads OpenBLAS itself starts (1 when the caller parallelises around BLAS calls).
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// C = alpha · op(A) · op(B) + beta · C on row-major buffers; `m × k` times `k × n`.
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
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
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// The Gram matrix Aᵀ·A (`cols × cols`, both triangles filled) of a row-major matrix.
    public static func gram(_ matrix: DenseMatrix) -> DenseMatrix {
        let n = matrix.cols
        var result = DenseMatrix(rows: n, cols: n)
        guard matrix.rows > 0 else { return result }
        matrix.values.withUnsafeBufferPointer { a in
            result.values.withUnsafeMutableBufferPointer { c in
                cblas_ssyrk(
                    CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(matrix.rows),
                    1, a.baseAddress, Int32(n), 0, c.baseAddress, Int32(n)
                )
            }
        }
        result.mirrorUpperTriangle()
        return result
    }

    /// The product A·B of two row-major matrices as a new matrix.
    public static func product(_ a: DenseMatrix, _ b: DenseMatrix) -> DenseMatrix {
        precondition(a.cols == b.rows, "inner dimensions must agree")
        var result = DenseMatrix(rows: a.rows, cols: b.cols)
        guard a.rows > 0, b.cols > 0 else { return result }
        a.values.withUnsafeBufferPointer { x in
            b.values.withUnsafeBufferPointer { y in
                result.values.withUnsafeMutableBufferPointer { c in
                    gemm(m: a.rows, n: b.cols, k: a.cols, a: x.baseAddress!, lda: a.cols, b: y.baseAddress!, ldb: b.cols, c: c.baseAddress!, ldc: b.cols)
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
