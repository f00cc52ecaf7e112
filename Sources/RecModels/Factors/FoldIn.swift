import Foundation
import RecMath

/// Solves one user's factor against a factor model's fixed item factors (the iALS user half-step for a single
/// row), so a user's newest interactions, or a user unseen at training time, are served without retraining.
///
/// Solves `(YᵀY + λ_u I + Σ_i alpha·w_i y_i y_iᵀ) x = Σ_i (1 + alpha·w_i) y_i` by Jacobi-preconditioned conjugate
/// gradient with the Gram matrix YᵀY computed once, alpha and λ_u as the trainer defines them (`IALSObjective`, from
/// the parameters the version recorded). For BPR models (trained on a different loss) it is the same
/// confidence-weighted least-squares projection with alpha 1 and BPR's L2 weight: an approximation, documented as such.
/// For LightGCN the user is propagated instead: one layer over the final item embeddings, Σᵢ Fᵢ/√(d_u·dᵢ) over their
/// items (the user's own layer-0 embedding, unknown for a new user, is left out). (Two-tower users are encoded by
/// the model's user tower from their recent items instead.)
public struct FoldIn: Sendable {
    /// Latent dimensions.
    public let factors: Int
    private let itemFactors: [Float]
    private let gram: [Float]
    private let objective: IALSObjective
    /// 1/√dᵢ per item for LightGCN, whose users are propagated rather than solved; nil for the others.
    private let propagation: [Float]?
    private var alpha: Float { objective.alpha }

    /// Prepares fold-in for `model` with the parameters it was trained with.
    public init(model: FactorModel, parameters: [String: Double]) {
        factors = model.factors
        itemFactors = model.itemFactors.values
        gram = BLAS.gram(model.itemFactors, threads: 1).values
        objective = model.kind == .ials ? IALSObjective(recordedIALS: parameters) : IALSObjective(recordedBPR: parameters)
        propagation = model.kind == .lightgcn ? model.itemDegrees.map { $0 > 0 ? 1 / $0.squareRoot() : 0 } : nil
    }

    /// The factor of a user who interacted with `items` (model item indices) with aggregated `weights`.
    /// (Not inlined into callers, so it runs with this module's vector flags.)
    @inline(never)
    public func solve(items: [Int32], weights: [Float]) -> [Float] {
        let k = factors
        var x = [Float](repeating: 0, count: k)
        guard !items.isEmpty else { return x }
        if let propagation {
            let userScale = 1 / Float(items.count).squareRoot()
            itemFactors.withUnsafeBufferPointer { y in
                x.withUnsafeMutableBufferPointer { out in
                    for item in items { BLAS.axpy(propagation[Int(item)] * userScale, y.baseAddress! + Int(item) * k, out.baseAddress!, count: k) }
                }
            }
            return x
        }
        let lambda = objective.lambda(count: items.count)
        var b = [Float](repeating: 0, count: k)
        var diagonal = [Float](repeating: lambda, count: k)
        itemFactors.withUnsafeBufferPointer { y in
            for (position, item) in items.enumerated() {
                let row = y.baseAddress! + Int(item) * k
                let confidence = alpha * weights[position]
                for d in 0..<k {
                    b[d] += (1 + confidence) * row[d]
                    diagonal[d] += confidence * row[d] * row[d]
                }
            }
        }
        for d in 0..<k { diagonal[d] += gram[d * k + d] }
        // r = b - A·0; z = M⁻¹r; p = z.
        var r = b
        var z = (0..<k).map { r[$0] / diagonal[$0] }
        var p = z
        var rz = zip(r, z).reduce(0) { $0 + $1.0 * $1.1 }
        let tolerance = 1e-10 * max(zip(b, b).reduce(0) { $0 + $1.0 * $1.1 }, 1e-30)
        var ap = [Float](repeating: 0, count: k)
        for _ in 0..<k {
            multiply(p, into: &ap, items: items, weights: weights, lambda: lambda)
            let pap = zip(p, ap).reduce(0) { $0 + $1.0 * $1.1 }
            guard pap > 0 else { break }
            let step = rz / pap
            for d in 0..<k {
                x[d] += step * p[d]
                r[d] -= step * ap[d]
            }
            if zip(r, r).reduce(0, { $0 + $1.0 * $1.1 }) < tolerance { break }
            for d in 0..<k { z[d] = r[d] / diagonal[d] }
            let next = zip(r, z).reduce(0) { $0 + $1.0 * $1.1 }
            let beta = next / rz
            rz = next
            for d in 0..<k { p[d] = z[d] + beta * p[d] }
        }
        return x
    }

    /// `out = (YᵀY + λI + Σ alpha·w y yᵀ) v`.
    private func multiply(_ v: [Float], into out: inout [Float], items: [Int32], weights: [Float], lambda: Float) {
        let k = factors
        gram.withUnsafeBufferPointer { g in
            v.withUnsafeBufferPointer { vBuffer in
                out.withUnsafeMutableBufferPointer { o in
                    BLAS.gemv(m: k, n: k, a: g.baseAddress!, lda: k, x: vBuffer.baseAddress!, y: o.baseAddress!)
                    for d in 0..<k { o[d] += lambda * vBuffer[d] }
                    itemFactors.withUnsafeBufferPointer { y in
                        for (position, item) in items.enumerated() {
                            let row = y.baseAddress! + Int(item) * k
                            let scale = alpha * weights[position] * BLAS.dot(row, vBuffer.baseAddress!, count: k)
                            for d in 0..<k { o[d] += scale * row[d] }
                        }
                    }
                }
            }
        }
    }
}
