import CBLAS

// LAPACK runs on the calling thread (OpenBLAS is capped at one thread in `BLAS`).

/// Cholesky factorisations and solves through LAPACKE.
public enum LAPACK {
    /// Solves A·X = B in place for a symmetric positive-definite `n × n` matrix A and `n × nrhs` B (both row-major).
    /// Returns false when A is not positive definite.
    public static func solvePositiveDefinite(
        n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>
    ) -> Bool {
        _ = BLAS.singleThreaded
        return LAPACKE_sposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), Int32(nrhs), a, Int32(n), b, Int32(nrhs)) == 0
    }

    /// Replaces a symmetric positive-definite matrix with its inverse (both triangles filled).
    /// Returns false when the matrix is not positive definite.
    public static func invertPositiveDefinite(_ matrix: inout DenseMatrix) -> Bool {
        precondition(matrix.rows == matrix.cols, "only square matrices can be inverted")
        _ = BLAS.singleThreaded
        let n = Int32(matrix.rows)
        let ok = matrix.values.withUnsafeMutableBufferPointer { v -> Bool in
            let upper = Int8(UInt8(ascii: "U"))
            guard LAPACKE_spotrf(LAPACK_ROW_MAJOR, upper, n, v.baseAddress, n) == 0 else { return false }
            return LAPACKE_spotri(LAPACK_ROW_MAJOR, upper, n, v.baseAddress, n) == 0
        }
        if ok { matrix.mirrorUpperTriangle() }
        return ok
    }

    /// Replaces a symmetric matrix with its orthonormal eigenvectors (as columns) and writes the eigenvalues
    /// (ascending). Returns false when LAPACK fails to converge.
    public static func symmetricEigen(_ matrix: inout DenseMatrix, eigenvalues: inout [Float]) -> Bool {
        precondition(matrix.rows == matrix.cols && eigenvalues.count == matrix.rows, "a square matrix and one slot per eigenvalue")
        _ = BLAS.singleThreaded
        let n = Int32(matrix.rows)
        return matrix.values.withUnsafeMutableBufferPointer { v in
            eigenvalues.withUnsafeMutableBufferPointer { w in
                LAPACKE_ssyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), n, v.baseAddress, n, w.baseAddress) == 0
            }
        }
    }
}
