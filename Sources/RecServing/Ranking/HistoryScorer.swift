import RecMath
import RecModels

/// Ranks with a model that scores every item from the user's history (item-kNN, EASE, popularity); similar items from
/// item-kNN's neighbour lists or EASE's item weights.
public struct HistoryScorer: ServingScorer {
    let model: any RecommendationModel

    /// A scorer over `model`.
    public init(model: any RecommendationModel) {
        self.model = model
    }

    /// Every item scored from the history; the best that pass the filter.
    public func recommend(userID: String, history: ModelHistory, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems? {
        let (items, weights) = history.weighted()
        guard !items.isEmpty else { return nil }
        let n = model.itemCount
        try search.walk(n, .historyScoring)
        let matrix = SparseMatrix(rows: 1, cols: n, rowStart: [0, items.count], columns: items, values: weights)
        var scores = [Float](repeating: 0, count: n)
        scores.withUnsafeMutableBufferPointer { model.scores(users: 0..<1, history: matrix, into: $0.baseAddress!) }
        return ScoredItems(items: search.best(of: scores, count: count), source: .model)
    }

    /// Item-kNN's stored neighbours, or a row of EASE's weights; nil for models with no item-to-item scores.
    public func similar(item: Int32, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems? {
        var top = TopK(k: count)
        if let knn = model as? ItemSimilarityModel {
            let row = knn.neighbours
            for position in row.rowStart[Int(item)]..<row.rowStart[Int(item) + 1] where search.allows(row.columns[position]) {
                top.offer(row.columns[position], row.values[position])
            }
        } else if let ease = model as? EASEModel {
            let n = ease.itemCount
            try search.walk(n, .historyScoring)
            for other in 0..<n where search.allows(Int32(other)) {
                top.offer(Int32(other), ease.weights.values[Int(item) * n + other])
            }
        } else {
            return nil
        }
        let found = top.sorted()
        return found.isEmpty ? nil : ScoredItems(items: found, source: .model)
    }
}
