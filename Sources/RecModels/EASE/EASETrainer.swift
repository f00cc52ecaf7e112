import Foundation
import RecMath

/// EASE (Steck 2019): the closed-form item-to-item model B = I − P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹.
/// It needs a dense items × items matrix, so it refuses catalogues above `max_items` with the memory estimate.
public struct EASETrainer: Sendable {
    /// The parameters EASE accepts.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("regularization", default: 500, 1e-3, 1e7, scale: .logarithmic, tuned: true, search: 10...5000, "λ added to the Gram matrix's diagonal"),
        ParameterSpec("max_items", default: 20_000, 1, 100_000, scale: .integer, "refuse catalogues larger than this (memory grows with items²)"),
        ParameterSpec("binary", default: 1, 0, 1, scale: .integer, "1 treats every interaction as 1; 0 uses the weights"),
        ParameterSpec.halfLifeDays(),
    ]

    /// The validated parameters.
    public let parameters: ModelParameters

    /// A trainer with validated parameters.
    public init(parameters: ModelParameters) {
        self.parameters = parameters
    }

    /// Bytes EASE needs for `items` items: one dense float matrix, inverted and turned into B in place.
    public static func memoryEstimate(items: Int) -> Int { items * items * 4 }

    /// Trains on `data`.
    public func train(_ data: InteractionMatrix, context: TrainingContext) throws(TrainingError) -> EASEModel {
        let n = data.itemCount
        guard data.pairCount > 0 else { throw .insufficientData("there are no interactions to train on") }
        let limit = parameters.int("max_items")
        guard n <= limit else {
            let gib = Double(Self.memoryEstimate(items: n)) / Double(1 << 30)
            throw .tooLarge("EASE needs a dense \(n) × \(n) matrix, about \(String(format: "%.2f", gib)) GiB, for \(n) items; max_items is \(limit). Raise params.max_items if the machine has the memory, or train ials")
        }
        let binary = parameters.int("binary") == 1
        let userItems = binary ? data.userItems.mapValues { _ in 1 } : data.userItems
        let itemUsers = binary ? data.itemUsers.mapValues { _ in 1 } : data.itemUsers
        var gram = DenseMatrix(rows: n, cols: n)
        let cancelled = SharedFlag()
        gram.values.withUnsafeMutableBufferPointer { g in
            let g = SharedBuffer(g)
            ParallelLoop.run(count: n, threads: context.threads, chunkSize: 32) { range, _ in
                if cancelled.isSet || context.isCancelled() { cancelled.set(); return }
                for item in range {
                    let row = g.base + item * n
                    for userSlot in itemUsers.range(ofRow: item) {
                        let user = Int(itemUsers.columns[userSlot])
                        let weight = itemUsers.values[userSlot]
                        for slot in userItems.range(ofRow: user) {
                            row[Int(userItems.columns[slot])] += weight * userItems.values[slot]
                        }
                    }
                }
            }
        }
        if cancelled.isSet { throw .cancelled }
        context.report(.init(stage: "gram", epoch: 1, epochs: 1))
        let lambda = parameters.float("regularization")
        for item in 0..<n { gram[item, item] += lambda }
        try context.checkCancellation()
        // The inversion runs on one core: OpenBLAS is never multi-threaded here (see `BLAS`).
        guard LAPACK.invertPositiveDefinite(&gram) else {
            throw .numerical("the regularised Gram matrix is not positive definite; raise params.regularization")
        }
        context.report(.init(stage: "invert", epoch: 1, epochs: 1))
        // B_ij = −P_ij / P_jj, zero diagonal.
        var diagonal = [Float](repeating: 0, count: n)
        for item in 0..<n { diagonal[item] = gram[item, item] }
        gram.values.withUnsafeMutableBufferPointer { p in
            for row in 0..<n {
                let base = row * n
                for col in 0..<n { p[base + col] = -p[base + col] / diagonal[col] }
                p[base + row] = 0
            }
        }
        return EASEModel(weights: gram, userCount: data.userCount)
    }
}
