import RecIndex
import RecModels
import RecTelemetry

/// Ranks with a factor model's embeddings (iALS, BPR, LightGCN, the two-tower model's tower outputs): the user's stored factor, or one folded in from their current
/// history when they interacted after the model was trained (or are new), searched in the item indexes; similar
/// items by cosine in the unit-length index. Two-tower versions also place an item added after training by its
/// features (the item tower), searched like a trained item's vector.
public struct EmbeddingScorer: ServingScorer {
    let factors: FactorModel
    let towers: TwoTowerModel?
    let vectors: FactorVectors
    let indexes: ItemIndexes
    let foldIn: FoldIn
    let userIndex: [String: Int32]
    let metrics: ServingMetrics

    /// A scorer over `factors` and its indexes; `userIndex` numbers the model's users.
    public init(factors: FactorModel, indexes: ItemIndexes, foldIn: FoldIn, userIndex: [String: Int32], metrics: ServingMetrics, towers: TwoTowerModel? = nil) {
        self.factors = factors
        self.towers = towers
        vectors = FactorVectors(factors)
        self.indexes = indexes
        self.foldIn = foldIn
        self.userIndex = userIndex
        self.metrics = metrics
    }

    /// The user's factor (stored or folded in) searched in the recommend index.
    public func recommend(userID: String, history: ModelHistory, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems? {
        let stored = userIndex[userID]
        var factor: [Float]?
        var source = ServedSource.model
        if let stored, !history.newerThanModel {
            factor = factors.userFactors.row(Int(stored))
        } else {
            let (items, weights) = towers == nil ? history.weighted() : (history.recent(), [])
            if !items.isEmpty {
                let started = ContinuousClock.now
                factor = towers.map { $0.userVector(history: items, features: .empty) } ?? foldIn.solve(items: items, weights: weights)
                metrics.foldedIn(duration: ContinuousClock.now - started)
                source = .foldIn
            } else if let stored {
                factor = factors.userFactors.row(Int(stored))
            }
        }
        // A zero vector (a tower with nothing to go on) ranks nothing: the fallback answers.
        guard let factor, factor.contains(where: { $0 != 0 }) else { return nil }
        let query = ItemIndexes.recommendQuery(factor, model: vectors)
        let found = try search.nearest(index: indexes.recommend, vectors: indexes.recommendVectors, scan: indexes.recommendScan, query: query, count: count)
        return ScoredItems(items: found, source: source)
    }

    /// The item's unit vector searched in the similar index.
    public func similar(item: Int32, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems? {
        let unit = indexes.similarVectors
        guard unit.row(Int(item)).contains(where: { $0 != 0 }) else { return nil }
        let found = try search.nearest(index: indexes.similar, vectors: unit, scan: nil, query: unit.row(Int(item)), count: count)
        return found.isEmpty ? nil : ScoredItems(items: found, source: .model)
    }

    /// The item tower's vector of an item the model never saw, searched in the similar index (two-tower only).
    public func similar(features: EntityFeatures, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems? {
        guard let towers, !features.isEmpty else { return nil }
        let vector = towers.itemVector(item: nil, features: features)
        guard vector.contains(where: { $0 != 0 }) else { return nil }
        let found = try search.nearest(index: indexes.similar, vectors: indexes.similarVectors, scan: nil, query: vector, count: count)
        return found.isEmpty ? nil : ScoredItems(items: found, source: .model)
    }

    /// The user tower's vector of a user known only by their properties, searched in the recommend index (two-tower
    /// only), `"source":"fold_in"`.
    public func recommend(features: EntityFeatures, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems? {
        guard let towers, !features.isEmpty else { return nil }
        let vector = towers.userVector(history: [], features: features)
        guard vector.contains(where: { $0 != 0 }) else { return nil }
        let query = ItemIndexes.recommendQuery(vector, model: vectors)
        let found = try search.nearest(index: indexes.recommend, vectors: indexes.recommendVectors, scan: indexes.recommendScan, query: query, count: count)
        return ScoredItems(items: found, source: .foldIn)
    }
}
