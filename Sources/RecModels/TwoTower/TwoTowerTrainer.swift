import Foundation
import RecMath

/// Trains a `TwoTowerModel` the way the YouTube/Google two-tower recipe does (Yi et al., RecSys 2019): each step takes
/// a batch of (user, item) training pairs, and every other pair's item is a negative for a user (in-batch sampled
/// softmax over cosine scores divided by a temperature), with the log-Q correction: each item's logit is lowered by
/// the log of its expected share of the step's candidates, so popular items are not punished for being sampled as
/// negatives more often. Each step also draws `uniform_negatives` items uniformly (mixed negative sampling, Yang et
/// al. 2020), so the long tail meets negatives too. The user tower of a pair pools the user's most recent items
/// *other than* the pair's item (it must predict it, not see it), through the same id embeddings the item tower uses
/// (tied: on MovieLens-100k a separate history table reached half the NDCG@10). The item's id embedding is dropped at
/// `id_dropout` for items with features, and a user's history at `history_dropout` for users with properties, so the
/// towers learn to place items and users from their features alone (cold start). Adam on everything (lazily on the
/// embedding rows a step touched), the batch products as `sgemm` calls split by rows over the training threads, and
/// the backward pass written out: softmax, both normalisations, both layers, then the scatter into the tables.
public struct TwoTowerTrainer: Sendable {
    /// The parameters the two-tower model accepts.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("factors", default: 64, 4, 512, scale: .integerLogarithmic, "embedding and output dimensions"),
        ParameterSpec("iterations", default: 16, 1, 1_000, scale: .integer, tuned: true, search: 5...60, "epochs over the training pairs (on Gowalla 16 beat 20 and 30: more overfits)"),
        ParameterSpec("batch_size", default: 1_024, 16, 16_384, scale: .integerLogarithmic, "pairs per step (each pair's item is a negative for the others)"),
        ParameterSpec("learning_rate", default: 0.005, 1e-5, 1, scale: .logarithmic, tuned: true, search: 0.001...0.03, "Adam step size"),
        ParameterSpec("temperature", default: 0.1, 0.005, 2, scale: .logarithmic, tuned: true, search: 0.03...0.5, "softmax temperature on the cosine scores"),
        ParameterSpec("regularization", default: 0, 0, 1, scale: .logarithmic, tuned: true, search: 1e-7...1e-3, "L2 weight on the parameters a step touches"),
        ParameterSpec("id_dropout", default: 0.2, 0, 0.95, scale: .linear, tuned: true, search: 0...0.6, "chance of training an item with features without its id embedding"),
        ParameterSpec("history_dropout", default: 0.1, 0, 0.95, scale: .linear, tuned: true, search: 0...0.5, "chance of training a user with properties from their properties alone"),
        ParameterSpec("history", default: 50, 1, 1_000, scale: .integerLogarithmic, "most recent items the user tower pools"),
        ParameterSpec("feature_buckets", default: 16_384, 64, 4_194_304, scale: .integerLogarithmic, "rows of the hashed feature table"),
        ParameterSpec("uniform_negatives", default: 1_024, 0, 65_536, scale: .integer, "items drawn uniformly each step as extra negatives for every pair"),
        ParameterSpec("log_q", default: 1, 0, 1, scale: .integer, "1 corrects the logits by the log of each item's sampling share"),
        ParameterSpec("init_scale", default: 0.05, 1e-4, 10, scale: .logarithmic, "standard deviation of the initial embeddings"),
        ParameterSpec.halfLifeDays("recency decay of event weights (pairs train once each: only presence counts)"),
    ]

    /// The validated parameters.
    public let parameters: ModelParameters

    /// A trainer with validated parameters.
    public init(parameters: ModelParameters) {
        self.parameters = parameters
    }

    /// Bytes training needs beyond the data: the item and feature tables with Adam's two moments and gradient, the
    /// batch's logits and buffers, and the pair and history lists.
    public func memoryEstimate(users: Int, items: Int, pairs: Int) -> Int {
        let d = parameters.int("factors"), batch = parameters.int("batch_size")
        let tables = (items + parameters.int("feature_buckets") + 2 * d) * d * 4 * 4
        let columns = batch + parameters.int("uniform_negatives")
        return tables + batch * columns * 4 + (batch + columns) * d * 4 * 5 + pairs * 12 + (users + items) * d * 4 + users * min(parameters.int("history"), 64) * 4
    }

    /// Trains on `dataset` (for its event order and features) whose prepared matrix is `data`.
    public func train(_ dataset: Dataset, matrix data: InteractionMatrix, context: TrainingContext) throws(TrainingError) -> TwoTowerModel {
        guard data.pairCount > 0, data.itemCount > 1 else { throw .insufficientData("the two-tower model needs interactions with at least two items") }
        try context.checkCancellation()
        let d = parameters.int("factors"), epochs = parameters.int("iterations"), historyLength = parameters.int("history")
        let rate = parameters.float("learning_rate"), decay = parameters.float("regularization")
        let inverseTemperature = 1 / parameters.float("temperature"), dropout = parameters.float("id_dropout")
        let historyDropout = parameters.float("history_dropout")
        let users = data.userCount, items = data.itemCount
        let vocabulary = FeatureVocabulary(buckets: parameters.int("feature_buckets"), items: dataset.itemFeatures, users: dataset.userFeatures)
        let inputs = TwoTowerInputs(dataset: dataset, matrix: data, vocabulary: vocabulary, historyLength: historyLength)

        // Pairs whose user tower has something to pool once the pair's item is left out.
        var pairUsers: [Int32] = [], pairItems: [Int32] = []
        pairUsers.reserveCapacity(data.pairCount)
        pairItems.reserveCapacity(data.pairCount)
        var degree = [Int](repeating: 0, count: items)
        let matrix = data.userItems
        for user in 0..<users {
            let row = matrix.range(ofRow: user)
            let usable = row.count >= 2 || inputs.userRows(user).count > 0
            // Items only single-item users touched never train as a pair's item: they count as untrained (their
            // features place them), and out of the sampling shares.
            for slot in row where usable && matrix.values[slot] > 0 {
                degree[Int(matrix.columns[slot])] += 1
                pairUsers.append(Int32(user))
                pairItems.append(matrix.columns[slot])
            }
        }
        guard pairUsers.count > 1 else { throw .insufficientData("the two-tower model needs users with at least two items (or with properties)") }
        let trained = degree.map { $0 > 0 }
        let trainedItems = (0..<items).filter { trained[$0] }.map(Int32.init)
        let batch = min(parameters.int("batch_size"), pairUsers.count), extra = parameters.int("uniform_negatives")
        // An item's expected share of a step's candidates: as a pair's item (by its share of the pairs) and as a
        // uniform draw among the trained items.
        let total = Float(degree.reduce(0, +))
        let logQ = parameters.int("log_q") == 1
            ? degree.map { $0 > 0 ? logf(Float(batch) * Float($0) / total + Float(extra) / Float(trainedItems.count)) : 0 }
            : [Float](repeating: 0, count: items)

        var generator = SeededGenerator(seed: context.seed)
        let scale = parameters.float("init_scale")
        var itemTable = EmbeddingTable(rows: items, width: d, scale: scale, generator: &generator)
        var featureTable = EmbeddingTable(rows: vocabulary.buckets, width: d, scale: scale, generator: &generator)
        let identity = (0..<(d * d)).map { $0 / d == $0 % d ? Float(1) : 0 }
        var itemLayer = EmbeddingTable(values: identity, width: d)
        var userLayer = EmbeddingTable(values: identity, width: d)

        var step = TwoTowerStep(batch: batch, columns: batch + extra, width: d, threads: context.threads)
        var order = Array(0..<pairUsers.count)
        var t = 0
        for epoch in 1...epochs {
            order.shuffle(using: &generator)
            var loss = 0.0
            var steps = 0
            var start = 0
            while start + batch <= order.count || (start < order.count && steps == 0) {
                try context.checkCancellation()
                let chosen = order[start..<min(order.count, start + batch)]
                start += batch
                let batchUsers = chosen.map { pairUsers[$0] }
                let batchItems = chosen.map { pairItems[$0] } + (0..<extra).map { _ in trainedItems[generator.nextIndex(below: trainedItems.count)] }
                let keep = batchItems.map { !inputs.hasItemFeatures(Int($0)) || generator.nextUnitFloat() >= dropout }
                let keepHistory = batchUsers.map { inputs.userRows(Int($0)).isEmpty || generator.nextUnitFloat() >= historyDropout }
                loss += step.run(
                    users: batchUsers, items: batchItems, keepID: keep, keepHistory: keepHistory, inputs: inputs, logQ: logQ, inverseTemperature: inverseTemperature,
                    itemTable: &itemTable, featureTable: &featureTable, itemLayer: &itemLayer, userLayer: &userLayer
                )
                steps += 1
                t += 1
                itemTable.step(rate: rate, decay: decay, count: t)
                featureTable.step(rate: rate, decay: decay, count: t)
                itemLayer.step(rate: rate, decay: decay, count: t)
                userLayer.step(rate: rate, decay: decay, count: t)
            }
            context.report(.init(stage: "softmax", epoch: epoch, epochs: epochs, loss: loss / Double(max(1, steps))))
        }

        // The towers' outputs for every training user and item.
        let draft = TwoTowerModel(
            vocabulary: vocabulary, itemEmbeddings: itemTable.matrix, featureEmbeddings: featureTable.matrix,
            itemLayer: itemLayer.matrix, userLayer: userLayer.matrix, trainedItems: trained, historyLength: historyLength,
            vectors: FactorModel(kind: .twoTower, userFactors: DenseMatrix(rows: 0, cols: d), itemFactors: DenseMatrix(rows: 0, cols: d))
        )
        var userVectors = [Float](repeating: 0, count: users * d), itemVectors = [Float](repeating: 0, count: items * d)
        let itemFeatures = dataset.itemFeatures, userFeatures = dataset.userFeatures
        userVectors.withUnsafeMutableBufferPointer { userBuffer in
            itemVectors.withUnsafeMutableBufferPointer { itemBuffer in
                let userOut = SharedBuffer(userBuffer), itemOut = SharedBuffer(itemBuffer)
                ParallelLoop.run(count: users + items, threads: context.threads, chunkSize: 512) { range, _ in
                    for index in range {
                        if index < users {
                            let vector = draft.userVector(history: Array(inputs.recent(index)), features: userFeatures.isEmpty ? .empty : userFeatures[index])
                            for k in 0..<d { userOut[index * d + k] = vector[k] }
                        } else {
                            let item = index - users
                            let vector = draft.itemVector(item: Int32(item), features: itemFeatures.isEmpty ? .empty : itemFeatures[item])
                            for k in 0..<d { itemOut[item * d + k] = vector[k] }
                        }
                    }
                }
            }
        }
        return TwoTowerModel(
            vocabulary: vocabulary, itemEmbeddings: draft.itemEmbeddings, featureEmbeddings: draft.featureEmbeddings, itemLayer: draft.itemLayer, userLayer: draft.userLayer,
            trainedItems: trained, historyLength: historyLength,
            vectors: FactorModel(
                kind: .twoTower, userFactors: DenseMatrix(rows: users, cols: d, values: userVectors),
                itemFactors: DenseMatrix(rows: items, cols: d, values: itemVectors)
            )
        )
    }
}
