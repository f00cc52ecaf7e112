import Foundation
import RecMath

/// One half-step of iALS: re-solves every row of `target` against the fixed side, in parallel.
///
/// Both sides are first rotated into the eigenbasis of the fixed side's Gram matrix YᵀY = QΛQᵀ (scores and the
/// regulariser are invariant under a shared rotation). There the dense part of every row's system is the diagonal Λ,
/// so a conjugate-gradient step costs O(k) plus the row's sparse correction Σ_i alpha·w·(y_i·p) y_i instead of a
/// k × k matrix-vector product, and a Jacobi preconditioner (the system's exact diagonal) is nearly free.
/// Warm-started from the previous factors, a few steps suffice (as in implicit's CG solver). With `cg_steps` 0
/// each row is solved exactly by Cholesky instead.
struct IALSSolver: Sendable {
    let factors: Int
    /// Confidence and regularisation (shared with fold-in).
    let objective: IALSObjective
    let cgSteps: Int
    let threads: Int

    /// A solver for `objective`.
    init(factors: Int, objective: IALSObjective, cgSteps: Int, threads: Int) {
        self.factors = factors
        self.objective = objective
        self.cgSteps = cgSteps
        self.threads = threads
    }

    /// A solver for the objective with these weights.
    init(factors: Int, alpha: Float, regularization: Float, regExponent: Float, cgSteps: Int, threads: Int) {
        self.init(factors: factors, objective: IALSObjective(alpha: alpha, regularization: regularization, regExponent: regExponent), cgSteps: cgSteps, threads: threads)
    }

    /// Confidence per unit of weight.
    var alpha: Float { objective.alpha }

    /// λ for a row with `count` observed entries.
    @inline(__always)
    func lambda(count: Int) -> Float {
        objective.lambda(count: count)
    }

    /// Re-solves every row of `target`; `ratings` has one row per target row, columns index `fixed`'s rows.
    /// In CG mode both sides come back rotated by the same orthogonal matrix.
    /// Returns the eigenvalues of the fixed side's Gram matrix (which is diagonal in the new basis), nil for Cholesky.
    @discardableResult
    func solve(target: inout DenseMatrix, fixed: inout DenseMatrix, ratings: SparseMatrix, context: TrainingContext) throws(TrainingError) -> [Float]? {
        let k = factors
        var gram = BLAS.gram(fixed, threads: threads)
        var diagonal = [Float](repeating: 0, count: k)
        if cgSteps > 0 {
            guard LAPACK.symmetricEigen(&gram, eigenvalues: &diagonal) else {
                throw .numerical("the eigendecomposition of the Gram matrix failed")
            }
            target = BLAS.product(target, gram, threads: threads)
            fixed = BLAS.product(fixed, gram, threads: threads)
        }
        let perWorker = cgSteps > 0 ? 4 * k : k * k + k
        var scratch = [Float](repeating: 0, count: threads * perWorker)
        let rows = target.rows
        let cancelled = SharedFlag()
        let eigenvalues = diagonal
        target.values.withUnsafeMutableBufferPointer { xBuffer in
            scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                fixed.values.withUnsafeBufferPointer { yBuffer in
                    gram.values.withUnsafeBufferPointer { gBuffer in
                        eigenvalues.withUnsafeBufferPointer { eBuffer in
                            ratings.rowStart.withUnsafeBufferPointer { startBuffer in
                                ratings.columns.withUnsafeBufferPointer { colBuffer in
                                    ratings.values.withUnsafeBufferPointer { valBuffer in
                                        let shared = Buffers(
                                            x: SharedBuffer(xBuffer), y: ReadOnlySharedBuffer(yBuffer), gram: ReadOnlySharedBuffer(gBuffer),
                                            eigenvalues: ReadOnlySharedBuffer(eBuffer),
                                            rowStart: ReadOnlySharedBuffer(startBuffer), columns: ReadOnlySharedBuffer(colBuffer),
                                            values: ReadOnlySharedBuffer(valBuffer), scratch: SharedBuffer(scratchBuffer)
                                        )
                                        ParallelLoop.run(count: rows, threads: threads, chunkSize: 256) { range, worker in
                                            if cancelled.isSet { return }
                                            if context.isCancelled() { cancelled.set(); return }
                                            let work = shared.scratch.base + worker * perWorker
                                            if cgSteps > 0 {
                                                conjugateGradient(range, shared, work)
                                            } else {
                                                cholesky(range, shared, work)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if cancelled.isSet { throw .cancelled }
        return cgSteps > 0 ? eigenvalues : nil
    }

    /// The pointers a chunk works on.
    struct Buffers: Sendable {
        let x: SharedBuffer<Float>
        let y: ReadOnlySharedBuffer<Float>
        let gram: ReadOnlySharedBuffer<Float>
        let eigenvalues: ReadOnlySharedBuffer<Float>
        let rowStart: ReadOnlySharedBuffer<Int>
        let columns: ReadOnlySharedBuffer<Int32>
        let values: ReadOnlySharedBuffer<Float>
        let scratch: SharedBuffer<Float>
    }

    /// Jacobi-preconditioned CG for each row, in the eigenbasis (dense part = diag(Λ)).
    private func conjugateGradient(_ range: Range<Int>, _ b: Buffers, _ work: UnsafeMutablePointer<Float>) {
        let k = factors
        let r = work
        let p = work + k
        let ap = p + k
        let inverse = ap + k
        let eigen = UnsafePointer(b.eigenvalues.base)
        for row in range {
            let x = b.x.base + row * k
            let entries = b.rowStart[row]..<b.rowStart[row + 1]
            let lam = lambda(count: entries.count)
            // r = b − A·x and the diagonal of A (for the preconditioner).
            for j in 0..<k {
                r[j] = -(eigen[j] + lam) * x[j]
                inverse[j] = eigen[j] + lam
            }
            for slot in entries {
                let y = UnsafePointer(b.y.base + Int(b.columns[slot]) * k)
                let c = alpha * b.values[slot]
                BLAS.axpy((1 + c) - c * BLAS.dot(y, x, count: k), y, r, count: k)
                for j in 0..<k { inverse[j] += c * y[j] * y[j] }
            }
            for j in 0..<k {
                inverse[j] = 1 / inverse[j]
                p[j] = r[j] * inverse[j]
            }
            var rz = BLAS.dot(r, p, count: k)
            for _ in 0..<cgSteps {
                guard rz > 1e-20 else { break }
                for j in 0..<k { ap[j] = (eigen[j] + lam) * p[j] }
                for slot in entries {
                    let y = UnsafePointer(b.y.base + Int(b.columns[slot]) * k)
                    BLAS.axpy(alpha * b.values[slot] * BLAS.dot(y, p, count: k), y, ap, count: k)
                }
                let pAp = BLAS.dot(p, ap, count: k)
                guard pAp > 0 else { break }
                let step = rz / pAp
                BLAS.axpy(step, p, x, count: k)
                BLAS.axpy(-step, ap, r, count: k)
                var next: Float = 0
                for j in 0..<k { next += r[j] * r[j] * inverse[j] }
                let beta = next / rz
                for j in 0..<k { p[j] = r[j] * inverse[j] + beta * p[j] }
                rz = next
            }
        }
    }

    private func cholesky(_ range: Range<Int>, _ b: Buffers, _ work: UnsafeMutablePointer<Float>) {
        let k = factors
        let a = work
        let rhs = work + k * k
        for row in range {
            a.update(from: b.gram.base, count: k * k)
            let lam = lambda(count: b.rowStart[row + 1] - b.rowStart[row])
            for j in 0..<k { a[j * k + j] += lam }
            rhs.update(repeating: 0, count: k)
            for slot in b.rowStart[row]..<b.rowStart[row + 1] {
                let y = UnsafePointer(b.y.base + Int(b.columns[slot]) * k)
                let c = alpha * b.values[slot]
                for i in 0..<k { BLAS.axpy(c * y[i], y, a + i * k, count: k) }
                BLAS.axpy(1 + c, y, rhs, count: k)
            }
            if LAPACK.solvePositiveDefinite(n: k, nrhs: 1, a: a, b: rhs) {
                (b.x.base + row * k).update(from: rhs, count: k)
            }
        }
    }

    /// The weighted squared error plus regularisation, divided by users × items. `userGramDiagonal` is the
    /// diagonal of XᵀX when the basis makes it diagonal (after an item half-step in CG mode); otherwise the Gram
    /// matrices are computed.
    func loss(users: DenseMatrix, items: DenseMatrix, ratings: SparseMatrix, userGramDiagonal: [Float]? = nil) -> Double {
        let k = factors
        // Σ over all pairs of s² = ⟨XᵀX, YᵀY⟩.
        var total = 0.0
        if let diagonal = userGramDiagonal {
            var columnNorms = [Double](repeating: 0, count: k)
            for item in 0..<items.rows {
                for j in 0..<k { columnNorms[j] += Double(items.values[item * k + j] * items.values[item * k + j]) }
            }
            for j in 0..<k { total += Double(diagonal[j]) * columnNorms[j] }
        } else {
            let userGram = BLAS.gram(users, threads: threads)
            let itemGram = BLAS.gram(items, threads: threads)
            for index in userGram.values.indices { total += Double(userGram.values[index]) * Double(itemGram.values[index]) }
        }
        // Observed pairs and the users' regulariser, in parallel; the items' regulariser uses their counts.
        var partial = [Double](repeating: 0, count: threads)
        partial.withUnsafeMutableBufferPointer { buffer in
            let sums = SharedBuffer(buffer)
            users.values.withUnsafeBufferPointer { u in
                items.values.withUnsafeBufferPointer { v in
                    let u = ReadOnlySharedBuffer(u), v = ReadOnlySharedBuffer(v)
                    ParallelLoop.run(count: ratings.rows, threads: threads, chunkSize: 1024) { range, worker in
                        var sum = 0.0
                        for row in range {
                            let x = UnsafePointer(u.base + row * k)
                            for slot in ratings.range(ofRow: row) {
                                let s = Double(BLAS.dot(x, v.base + Int(ratings.columns[slot]) * k, count: k))
                                let c = 1 + Double(alpha * ratings.values[slot])
                                sum += c * (1 - s) * (1 - s) - s * s
                            }
                            sum += Double(lambda(count: ratings.count(ofRow: row))) * Double(BLAS.dot(x, x, count: k))
                        }
                        sums[worker] += sum
                    }
                }
            }
        }
        total += partial.reduce(0, +)
        var itemCounts = [Int](repeating: 0, count: items.rows)
        for column in ratings.columns { itemCounts[Int(column)] += 1 }
        items.values.withUnsafeBufferPointer { v in
            for item in 0..<items.rows {
                let y = v.baseAddress! + item * k
                total += Double(lambda(count: itemCounts[item])) * Double(BLAS.dot(y, y, count: k))
            }
        }
        return total / Double(max(1, users.rows * items.rows))
    }
}
