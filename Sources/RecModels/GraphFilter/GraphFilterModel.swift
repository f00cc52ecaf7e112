import Foundation
import RecMath

/// A closed-form graph filter over the normalised item–item graph P̃ = R̃ᵀR̃ (R̃ = D_u^-1/2 · R · D_i^-1/2): a user's
/// scores are their history row x, degree-normalised (x' = x ⊙ d^-β), filtered, and scaled back (⊙ d^β):
///
///     scores = d^β ⊙ ( a · x'·R̃ᵀ·R̃  +  (x'·V) · diag(g) · Vᵀ )
///
/// V holds the leading eigenvectors of P̃ and g a weight per eigenvalue, so the filter's response is
/// `plateau(λ) + ideal_weight` on the kept eigenvalues and `a·λ` on the rest (see `GraphFilterTrainer`). The first
/// term is two sparse hops from the user's items, the second a product with the kept eigenvectors: nothing is
/// trained per user, so any history, however new, is scored as it stands.
public struct GraphFilterModel: RecommendationModel {
    /// The model family.
    public var kind: ModelKind { .graphFilter }
    /// R̃: the normalised user × item training graph.
    public let graph: SparseMatrix
    /// R̃ᵀ (items × users), for the first hop.
    public let graphByItem: SparseMatrix
    /// Each item's degree in the training graph (summed weights).
    public let itemDegrees: [Float]
    /// The kept eigenvectors of R̃ᵀR̃: `items × rank`, row-major.
    public let basis: DenseMatrix
    /// The weight g of each kept eigenvector.
    public let spectralWeights: [Float]
    /// a: the weight of the linear term x'·R̃ᵀ·R̃.
    public let linearWeight: Float
    /// β: histories are divided by d^β before filtering and scores multiplied by d^β after.
    public let degreePower: Float
    /// Whether every history item counts 1 (else its weight).
    public let binary: Bool
    /// d^-β per item (0 for items with no training interactions).
    let preScale: [Float]
    /// d^β per item (0 for items with no training interactions).
    let postScale: [Float]
    /// ‖Vᵢ‖ per item: with ‖x'·V·diag(g)‖ it bounds the second term, so one history can be ranked exactly
    /// without scoring every item (`best(items:…)`).
    let basisNorms: [Float]

    /// A model from its parts.
    public init(graph: SparseMatrix, itemDegrees: [Float], basis: DenseMatrix, spectralWeights: [Float],
                linearWeight: Float, degreePower: Float, binary: Bool) {
        precondition(itemDegrees.count == graph.cols && basis.rows == graph.cols && basis.cols == spectralWeights.count,
                     "graph, degrees and eigenvectors must describe the same items")
        self.graph = graph
        graphByItem = graph.transposed()
        self.itemDegrees = itemDegrees
        self.basis = basis
        self.spectralWeights = spectralWeights
        self.linearWeight = linearWeight
        self.degreePower = degreePower
        self.binary = binary
        preScale = itemDegrees.map { $0 > 0 ? powf($0, -degreePower) : 0 }
        postScale = itemDegrees.map { $0 > 0 ? powf($0, degreePower) : 0 }
        let r = basis.cols
        basisNorms = basis.values.withUnsafeBufferPointer { v in
            (0..<basis.rows).map { BLAS.dot(v.baseAddress! + $0 * r, v.baseAddress! + $0 * r, count: r).squareRoot() }
        }
    }

    /// Number of items.
    public var itemCount: Int { graph.cols }
    /// Users in the training graph (scoring reads only the given histories).
    public var userCount: Int { graph.rows }
    /// Eigenvectors kept.
    public var rank: Int { basis.cols }

    /// Filters each user's history row (`history` rows are users, columns this model's items).
    public func scores(users: Range<Int>, history: SparseMatrix, into output: UnsafeMutablePointer<Float>) {
        let n = itemCount, r = rank
        guard !users.isEmpty, n > 0 else { return }
        var spectral = [Float](repeating: 0, count: max(1, users.count * r))  // never empty: its base address is passed on
        var hop = [Float](repeating: 0, count: graph.rows)
        var reached: [Int32] = []
        spectral.withUnsafeMutableBufferPointer { s in
            for (local, user) in users.enumerated() {
                let row = output + local * n
                row.update(repeating: 0, count: n)
                guard user < history.rows else { continue }
                let slots = history.range(ofRow: user)
                history.columns.withUnsafeBufferPointer { columns in
                    history.values.withUnsafeBufferPointer { values in
                        _ = filter(items: UnsafeBufferPointer(rebasing: columns[slots]), weights: UnsafeBufferPointer(rebasing: values[slots]),
                                   linear: row, spectral: s.baseAddress! + local * r, hop: &hop, reached: &reached)
                    }
                }
            }
        }
        if r > 0 {
            // scores += (x'·V·diag(g)) · Vᵀ for the whole block at once.
            basis.values.withUnsafeBufferPointer { v in
                spectral.withUnsafeBufferPointer { s in
                    BLAS.gemm(transposeB: true, m: users.count, n: n, k: r, a: s.baseAddress!, lda: r,
                              b: v.baseAddress!, ldb: r, beta: 1, c: output, ldc: n)
                }
            }
        }
        for local in 0..<users.count {
            let row = output + local * n
            for item in 0..<n { row[item] *= postScale[item] }
        }
    }

    /// The part of one history's filtering that is sparse in it: adds a·x'·R̃ᵀ·R̃ (the two hops) into `linear` and
    /// x'·V·diag(g) into `spectral` (`rank` floats), both zeroed by the caller. `hop` (one float a training user, all 0)
    /// and `reached` (empty) are scratch, returned as found. Returns whether the history reached any user.
    func filter(
        items: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>,
        linear: UnsafeMutablePointer<Float>, spectral: UnsafeMutablePointer<Float>, hop: inout [Float], reached: inout [Int32]
    ) -> Bool {
        let n = itemCount, r = rank
        basis.values.withUnsafeBufferPointer { v in
            for (position, item) in items.enumerated() where Int(item) < n && weights[position] > 0 {
                let signal = (binary ? 1 : weights[position]) * preScale[Int(item)]
                guard signal != 0 else { continue }
                // First hop: the users who share the item.
                for edge in graphByItem.range(ofRow: Int(item)) {
                    let other = Int(graphByItem.columns[edge])
                    if hop[other] == 0 { reached.append(Int32(other)) }
                    hop[other] += signal * graphByItem.values[edge]
                }
                if r > 0 { BLAS.axpy(signal, v.baseAddress! + Int(item) * r, spectral, count: r) }
            }
        }
        // Second hop: those users' items.
        for other in reached {
            let weight = linearWeight * hop[Int(other)]
            hop[Int(other)] = 0  // a user listed twice adds once
            for edge in graph.range(ofRow: Int(other)) { linear[Int(graph.columns[edge])] += weight * graph.values[edge] }
        }
        let any = !reached.isEmpty
        reached.removeAll(keepingCapacity: true)
        for index in 0..<r { spectral[index] *= spectralWeights[index] }
        return any
    }
}
