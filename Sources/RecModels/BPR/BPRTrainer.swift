import Foundation
import RecMath

/// Bayesian personalised ranking (Rendle et al. 2009) as matrix factorisation with item biases, trained by
/// lock-free parallel SGD (Hogwild): each epoch draws as many (user, positive, negative) triples as there are
/// observed pairs, rejecting negatives the user has interacted with.
public struct BPRTrainer: Sendable {
    /// The parameters BPR accepts.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("factors", default: 64, 1, 1024, scale: .integerLogarithmic, tuned: true, search: 32...256, "latent dimensions"),
        ParameterSpec("iterations", default: 100, 1, 2000, scale: .integer, tuned: true, search: 20...200, "epochs of SGD"),
        ParameterSpec("learning_rate", default: 0.05, 1e-5, 1, scale: .logarithmic, tuned: true, search: 0.005...0.2, "SGD step size"),
        ParameterSpec("regularization", default: 0.001, 0, 10, scale: .logarithmic, tuned: true, search: 1e-5...0.1, "L2 weight on the factors touched by each step"),
        ParameterSpec.halfLifeDays("recency decay of event weights (BPR samples pairs, so only presence counts)"),
    ]

    /// The validated parameters.
    public let parameters: ModelParameters

    /// A trainer with validated parameters.
    public init(parameters: ModelParameters) {
        self.parameters = parameters
    }

    /// Trains on `data`.
    public func train(_ data: InteractionMatrix, context: TrainingContext) throws(TrainingError) -> FactorModel {
        guard data.pairCount > 0, data.itemCount > 1 else { throw .insufficientData("BPR needs interactions with at least two items") }
        let k = parameters.int("factors")
        let epochs = parameters.int("iterations")
        let rate = parameters.float("learning_rate")
        let reg = parameters.float("regularization")
        var generator = SeededGenerator(seed: context.seed)
        var users = DenseMatrix(rows: data.userCount, cols: k)
        var items = DenseMatrix(rows: data.itemCount, cols: k)
        for index in users.values.indices { users.values[index] = (generator.nextUnitFloat() - 0.5) / Float(k) }
        for index in items.values.indices { items.values[index] = (generator.nextUnitFloat() - 0.5) / Float(k) }
        var bias = [Float](repeating: 0, count: data.itemCount)
        let matrix = data.userItems
        var owners = [Int32](repeating: 0, count: matrix.nonZeroCount)
        for user in 0..<matrix.rows {
            for slot in matrix.range(ofRow: user) { owners[slot] = Int32(user) }
        }
        let slotUser = owners
        let samples = matrix.nonZeroCount
        let chunk = 8192
        let chunks = (samples + chunk - 1) / chunk
        var losses = [Double](repeating: 0, count: chunks)
        for epoch in 1...epochs {
            try context.checkCancellation()
            let seed = context.seed &+ UInt64(epoch) &* 0x9E37_79B9
            users.values.withUnsafeMutableBufferPointer { u in
                items.values.withUnsafeMutableBufferPointer { v in
                    bias.withUnsafeMutableBufferPointer { b in
                        losses.withUnsafeMutableBufferPointer { l in
                            let u = SharedBuffer(u), v = SharedBuffer(v), b = SharedBuffer(b), l = SharedBuffer(l)
                            ParallelLoop.run(count: chunks, threads: context.threads, chunkSize: 1) { range, _ in
                                for chunkIndex in range {
                                    var random = SeededGenerator(seed: seed &+ UInt64(chunkIndex))
                                    var loss = 0.0
                                    let count = min(chunk, samples - chunkIndex * chunk)
                                    for _ in 0..<count {
                                        let slot = random.nextIndex(below: samples)
                                        let user = Int(slotUser[slot])
                                        let positive = Int(matrix.columns[slot])
                                        var negative = random.nextIndex(below: matrix.cols)
                                        var tries = 0
                                        while tries < 8, matrix.contains(row: user, column: Int32(negative)) {
                                            negative = random.nextIndex(below: matrix.cols)
                                            tries += 1
                                        }
                                        if negative == positive { continue }
                                        let x = u.base + user * k
                                        let yi = v.base + positive * k
                                        let yj = v.base + negative * k
                                        var score = b[positive] - b[negative]
                                        for f in 0..<k { score += x[f] * (yi[f] - yj[f]) }
                                        let z = 1 / (1 + exp(score))
                                        // -log σ(s), stable for any s.
                                        let s = Double(score)
                                        loss += max(-s, 0) + Foundation.log1p(Foundation.exp(-abs(s)))
                                        for f in 0..<k {
                                            let xf = x[f], yif = yi[f], yjf = yj[f]
                                            x[f] += rate * (z * (yif - yjf) - reg * xf)
                                            yi[f] += rate * (z * xf - reg * yif)
                                            yj[f] += rate * (-z * xf - reg * yjf)
                                        }
                                        b[positive] += rate * (z - reg * b[positive])
                                        b[negative] += rate * (-z - reg * b[negative])
                                    }
                                    l[chunkIndex] = loss
                                }
                            }
                        }
                    }
                }
            }
            let loss = losses.reduce(0, +) / Double(samples)
            context.report(.init(stage: "sgd", epoch: epoch, epochs: epochs, loss: loss))
        }
        return FactorModel(kind: .bpr, userFactors: users, itemFactors: items, itemBias: bias)
    }
}
