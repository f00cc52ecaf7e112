import Foundation
import RecMath

/// LightGCN (He et al., SIGIR 2020): user and item embeddings E⁰ propagated over the symmetric-normalised bipartite
/// graph with no weights or non-linearity, Eᵏ⁺¹ = Ã·Eᵏ, and averaged over the layers, F = (1/(K+1))·Σₖ Eᵏ; trained
/// with the BPR loss on F for sampled (user, positive, negative) triples, L2 on the batch's E⁰ rows, and Adam.
///
/// The reference recipe propagates the whole graph for every batch of 2,048, which on two cores would take about a
/// day for Gowalla. Here a step is a large batch (`batch_size`, default 65,536) with a learning rate raised to match:
/// since F = P·E⁰ with P = (1/(K+1))·Σₖ Ãᵏ symmetric, the gradient on E⁰ is P applied to the gradient on F, so one
/// step costs two propagations (forward, and backward on the gradient) however many triples it holds. The result is
/// a factor model (F for users and items) that serves like iALS; a user unseen at training is propagated from their
/// current items (one layer over F).
public struct LightGCNTrainer: Sendable {
    /// The parameters LightGCN accepts.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("factors", default: 64, 1, 1024, scale: .integerLogarithmic, "embedding dimensions"),
        ParameterSpec("layers", default: 3, 1, 8, scale: .integer, "propagation layers K"),
        ParameterSpec("iterations", default: 100, 1, 5_000, scale: .integer, tuned: true, search: 20...300, "epochs (each ⌈interactions / batch_size⌉ steps of batch_size triples)"),
        ParameterSpec("batch_size", default: 65_536, 64, 1_048_576, scale: .integerLogarithmic, "triples per step (one forward and one backward propagation)"),
        ParameterSpec("learning_rate", default: 0.01, 1e-5, 1, scale: .logarithmic, tuned: true, search: 0.002...0.05, "Adam step size"),
        ParameterSpec("regularization", default: 1e-4, 0, 1, scale: .logarithmic, tuned: true, search: 1e-6...1e-2, "L2 weight on the batch's initial embeddings"),
        ParameterSpec("init_scale", default: 0.1, 1e-4, 10, scale: .logarithmic, "standard deviation of the initial embeddings"),
        ParameterSpec.halfLifeDays("recency decay of event weights (the graph is binary: only presence counts)"),
    ]

    /// The validated parameters.
    public let parameters: ModelParameters

    /// A trainer with validated parameters.
    public init(parameters: ModelParameters) {
        self.parameters = parameters
    }

    /// Bytes training needs beyond the data: the graph both ways, and (users + items) × factors floats for E⁰, Adam's
    /// two moments, the gradient and five propagation buffers.
    public func memoryEstimate(users: Int, items: Int, pairs: Int) -> Int {
        pairs * 16 + (users + items) * parameters.int("factors") * 4 * 10
    }

    /// Trains on `data`.
    public func train(_ data: InteractionMatrix, context: TrainingContext) throws(TrainingError) -> FactorModel {
        guard data.pairCount > 0, data.itemCount > 1 else { throw .insufficientData("LightGCN needs interactions with at least two items") }
        try context.checkCancellation()
        let d = parameters.int("factors"), layers = parameters.int("layers"), epochs = parameters.int("iterations")
        let batch = parameters.int("batch_size"), rate = parameters.float("learning_rate"), reg = parameters.float("regularization")
        let graph = NormalizedGraph(data, binary: true)
        let users = data.userCount, items = data.itemCount, total = users + items
        let positives = data.userItems
        // E⁰ for users then items, one block, so Adam and the propagation treat them alike.
        var generator = SeededGenerator(seed: context.seed)
        var embeddings = [Float](repeating: 0, count: total * d)
        let scale = parameters.float("init_scale")
        for index in embeddings.indices { embeddings[index] = generator.nextGaussian() * scale }
        var propagation = Propagation(graph: graph, users: users, items: items, width: d, layers: layers, threads: context.threads)
        var final = [Float](repeating: 0, count: total * d)
        var gradient = [Float](repeating: 0, count: total * d)
        var first = [Float](repeating: 0, count: total * d), second = [Float](repeating: 0, count: total * d)
        let active = (0..<users).filter { positives.count(ofRow: $0) > 0 }
        let steps = max(1, (data.pairCount + batch - 1) / batch)
        var sampled = [(user: Int32, positive: Int32, negative: Int32)]()
        sampled.reserveCapacity(batch)
        var t = 0
        for epoch in 1...epochs {
            var loss = 0.0
            var losses = 0
            for _ in 0..<steps {
                try context.checkCancellation()
                // Triples: a user uniformly (as LightGCN samples), one of their items, an item they have not touched.
                sampled.removeAll(keepingCapacity: true)
                for _ in 0..<min(batch, data.pairCount) {
                    let user = active[generator.nextIndex(below: active.count)]
                    let row = positives.range(ofRow: user)
                    let positive = positives.columns[row.lowerBound + generator.nextIndex(below: row.count)]
                    var negative = Int32(generator.nextIndex(below: items))
                    var tries = 0
                    while tries < 8, positives.contains(row: user, column: negative) {
                        negative = Int32(generator.nextIndex(below: items))
                        tries += 1
                    }
                    if negative != positive { sampled.append((Int32(user), positive, negative)) }
                }
                guard !sampled.isEmpty else { continue }
                propagation.apply(embeddings, into: &final)
                gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                let share = 1 / Float(sampled.count)
                final.withUnsafeBufferPointer { f in
                    gradient.withUnsafeMutableBufferPointer { g in
                        for triple in sampled {
                            let u = f.baseAddress! + Int(triple.user) * d
                            let i = f.baseAddress! + (users + Int(triple.positive)) * d
                            let j = f.baseAddress! + (users + Int(triple.negative)) * d
                            let score = BLAS.dot(u, i, count: d) - BLAS.dot(u, j, count: d)
                            loss += max(-Double(score), 0) + log1p(exp(-abs(Double(score))))
                            // d/ds of −log σ(s) is −σ(−s); the loss is the batch mean.
                            let pull = -share / (1 + Float(exp(Double(score))))
                            let gu = g.baseAddress! + Int(triple.user) * d
                            let gi = g.baseAddress! + (users + Int(triple.positive)) * d
                            let gj = g.baseAddress! + (users + Int(triple.negative)) * d
                            for k in 0..<d {
                                gu[k] += pull * (i[k] - j[k])
                                gi[k] += pull * u[k]
                                gj[k] -= pull * u[k]
                            }
                        }
                    }
                }
                losses += sampled.count
                // Backward: the gradient on E⁰ is P applied to the gradient on F (P is symmetric), into `final`.
                propagation.apply(gradient, into: &final)
                // L2 on the rows of E⁰ each triple uses (½·reg·‖e‖², averaged over the batch): on E⁰, not through P.
                let decay = reg * share
                embeddings.withUnsafeBufferPointer { e in
                    final.withUnsafeMutableBufferPointer { g in
                        for triple in sampled {
                            for row in [Int(triple.user), users + Int(triple.positive), users + Int(triple.negative)] {
                                BLAS.axpy(decay, e.baseAddress! + row * d, g.baseAddress! + row * d, count: d)
                            }
                        }
                    }
                }
                t += 1
                Self.adam(&embeddings, gradient: final, first: &first, second: &second, rate: rate, step: t)
            }
            context.report(.init(stage: "bpr", epoch: epoch, epochs: epochs, loss: loss / Double(max(1, losses))))
        }
        propagation.apply(embeddings, into: &final)
        let userFactors = DenseMatrix(rows: users, cols: d, values: Array(final[0..<(users * d)]))
        let itemFactors = DenseMatrix(rows: items, cols: d, values: Array(final[(users * d)...]))
        return FactorModel(kind: .lightgcn, userFactors: userFactors, itemFactors: itemFactors, itemDegrees: graph.itemDegrees)
    }

    /// One Adam step (β₁ 0.9, β₂ 0.999, ε 10⁻⁸) over every parameter.
    static func adam(_ values: inout [Float], gradient: [Float], first: inout [Float], second: inout [Float], rate: Float, step: Int) {
        let correction1 = 1 - powf(0.9, Float(step)), correction2 = 1 - powf(0.999, Float(step))
        let stepSize = rate * correction2.squareRoot() / correction1
        for index in values.indices {
            let g = gradient[index]
            first[index] = 0.9 * first[index] + 0.1 * g
            second[index] = 0.999 * second[index] + 0.001 * g * g
            values[index] -= stepSize * first[index] / (second[index].squareRoot() + 1e-8)
        }
    }
}
