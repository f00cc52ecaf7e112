import RecIndex
import RecModels
import RecTelemetry

/// Ranks with a factor model's embeddings (iALS, BPR, LightGCN, the two-tower model's tower outputs): the user's
/// stored factor, or one folded in from their current history when they interacted after the model was trained (or
/// are new), searched in the item indexes; similar items by cosine in the unit-length index. Two-tower versions also
/// place an item added after training by its features (the item tower), searched like a trained item's vector.
public struct EmbeddingScorer: ServingScorer {
    /// How a user without an up-to-date stored factor is encoded.
    enum Encoding: Sendable {
        /// Solved (or propagated) against the fixed item factors.
        case foldIn(FoldIn)
        /// The two-tower model's user tower, from their recent items.
        case towers(TwoTowerModel)
    }

    let factors: FactorModel
    let vectors: FactorVectors
    let indexes: ItemIndexes
    let encoding: Encoding
    let userIndex: [String: Int32]
    let metrics: ServingMetrics

    /// A scorer over a factor model's `factors` and its indexes; `userIndex` numbers the model's users.
    public init(factors: FactorModel, indexes: ItemIndexes, foldIn: FoldIn, userIndex: [String: Int32], metrics: ServingMetrics) {
        self.init(factors: factors, encoding: .foldIn(foldIn), indexes: indexes, userIndex: userIndex, metrics: metrics)
    }

    /// A scorer over a two-tower model's precomputed vectors and their indexes, its towers encoding what it never saw.
    public init(towers: TwoTowerModel, indexes: ItemIndexes, userIndex: [String: Int32], metrics: ServingMetrics) {
        self.init(factors: towers.vectors, encoding: .towers(towers), indexes: indexes, userIndex: userIndex, metrics: metrics)
    }

    private init(factors: FactorModel, encoding: Encoding, indexes: ItemIndexes, userIndex: [String: Int32], metrics: ServingMetrics) {
        self.factors = factors
        vectors = FactorVectors(factors)
        self.indexes = indexes
        self.encoding = encoding
        self.userIndex = userIndex
        self.metrics = metrics
    }

    /// The two-tower model, for versions that have one.
    private var towers: TwoTowerModel? {
        if case .towers(let model) = encoding { model } else { nil }
    }

    /// A user's vector from their current history; nil when the model knows none of their items.
    private func encode(_ history: ModelHistory) -> [Float]? {
        switch encoding {
        case .foldIn(let foldIn):
            let (items, weights) = history.weighted()
            return items.isEmpty ? nil : foldIn.solve(items: items, weights: weights)
        case .towers(let towers):
            let items = history.recent()
            return items.isEmpty ? nil : towers.userVector(history: items, features: .empty)
        }
    }

    /// The user's factor (stored or folded in) searched in the recommend index.
    public func recommend(userID: String, history: ModelHistory, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems? {
        let stored = userIndex[userID]
        var factor: [Float]?
        var source = ServedSource.model
        if let stored, !history.newerThanModel {
            factor = factors.userFactors.row(Int(stored))
        } else {
            let started = ContinuousClock.now
            if let folded = encode(history) {
                factor = folded
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
