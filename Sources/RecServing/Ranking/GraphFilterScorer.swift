import RecModels
import RecTelemetry

/// Ranks with the graph filter: the user's current history (whatever its age: the filter has no per-user state) is
/// ranked exactly by the model's bounded search, over the category's members when the request names categories;
/// similar items are the filter's answer for a history of just that item.
public struct GraphFilterScorer: ServingScorer {
    let model: GraphFilterModel
    let metrics: ServingMetrics

    /// A scorer over `model`.
    public init(model: GraphFilterModel, metrics: ServingMetrics) {
        self.model = model
        self.metrics = metrics
    }

    /// The history's best items that pass the filter; nil when no item of the history is in the model's graph.
    public func recommend(userID: String, history: ModelHistory, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems? {
        let (items, weights) = history.weighted()
        guard !items.isEmpty else { return nil }
        let found = try rank(items: items, weights: weights, count: count, search: search, excluding: nil)
        return found.items.isEmpty ? nil : found
    }

    /// The best items for a history of `item` alone, other than `item`.
    public func similar(item: Int32, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems? {
        let found = try rank(items: [item], weights: [1], count: count, search: search, excluding: item)
        return found.items.isEmpty ? nil : found
    }

    private func rank(items: [Int32], weights: [Float], count: Int, search: ItemSearch, excluding: Int32?) throws(RankingDeferred) -> ScoredItems {
        // The two-hop term touches every item the history's users reached: a catalogue-sized walk.
        try search.walk(model.itemCount, .historyScoring)
        let candidates = try search.categoryCandidates()
        let started = ContinuousClock.now
        var examined = 0
        let found = model.best(items: items, weights: weights, count: count, candidates: candidates,
                               allows: { $0 != excluding && search.allows($0) }, examined: &examined)
        metrics.searched(path: "graph_filter", duration: ContinuousClock.now - started, examined: examined)
        return ScoredItems(items: found, source: .model)
    }
}
