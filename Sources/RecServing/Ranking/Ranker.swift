import Logging
import RecIndex
import RecModels
import RecTelemetry

/// Ranks items for a user or an item against one `ServingView` and the model routed to: the model's scorer, then
/// popularity as the fallback, and always `count` items when that many are eligible.
public struct Ranker: Sendable {
    let metrics: ServingMetrics
    let ranking: RankingMetrics
    let configuration: IndexConfiguration
    let logger: Logger

    /// A ranker recording into `metrics` and `ranking`.
    public init(metrics: ServingMetrics, ranking: RankingMetrics, configuration: IndexConfiguration, logger: Logger) {
        self.metrics = metrics
        self.ranking = ranking
        self.configuration = configuration
        self.logger = logger
    }

    /// The top `count` items for `userID` that pass `filter`, ranked by `model` (nil: popularity only); `properties`,
    /// when given, describe a user the model knows nothing else of.
    public func recommend(model: LoadedModel?, view: ServingView, activity: TenantActivity, userID: String, count: Int,
                          filter: ItemFilter, properties: EntityFeatures? = nil, inline: Bool) throws(RankingDeferred) -> RankedList {
        var ranked: RankedList?
        if let model {
            let history = model.history(activity.history(of: userID), activity: activity)
            let search = search(view: view, model: model, filter: filter, inline: inline)
            var scored = try model.scorer.recommend(userID: userID, history: history, count: count, search: search)
            if scored == nil, let properties {
                scored = try model.scorer.recommend(features: properties, count: count, search: search)
            }
            if let scored {
                ranked = RankedList(items: scored.items.map { (model.itemIDs[Int($0.index)], $0.score) }, source: scored.source, modelVersion: model.version)
            }
        }
        let list = ranked ?? RankedList(items: [], source: .fallback, modelVersion: model?.version)
        return try fill(list, count: count, view: view, filter: filter, activity: activity, inline: inline)
    }

    /// The `count` items most like `itemID` that pass `filter` (which must already exclude `itemID`), ranked by `model`.
    public func similar(model: LoadedModel?, view: ServingView, activity: TenantActivity, itemID: String, count: Int,
                        filter: ItemFilter, inline: Bool) throws(RankingDeferred) -> RankedList {
        var fallbackFilter = filter
        if fallbackFilter.categories == nil, let category = view.catalogue.items[itemID]?.category {
            fallbackFilter.categories = [category]  // a cold item's neighbours: popular items of its own category
        }
        if let model {
            let search = search(view: view, model: model, filter: filter, inline: inline)
            let scored: ScoredItems? = if let item = model.itemIndex[itemID] {
                try model.scorer.similar(item: item, count: count, search: search)
            } else if let entry = view.catalogue.items[itemID] {
                // An item added after training: models that read features place it by them.
                try model.scorer.similar(features: entry.features, count: count, search: search)
            } else {
                nil
            }
            if let scored {
                let list = RankedList(items: scored.items.map { (model.itemIDs[Int($0.index)], $0.score) }, source: scored.source, modelVersion: model.version)
                return try fill(list, count: count, view: view, filter: filter, activity: activity, inline: inline)
            }
        }
        let list = RankedList(items: [], source: .fallback, modelVersion: model?.version)
        return try fill(list, count: count, view: view, filter: fallbackFilter, activity: activity, inline: inline)
    }

    private func search(view: ServingView, model: LoadedModel, filter: ItemFilter, inline: Bool) -> ItemSearch {
        ItemSearch(view: view, model: model, filter: filter, inline: inline, metrics: metrics, ranking: ranking, configuration: configuration, logger: logger)
    }

    // MARK: - Fallback

    /// Tops `list` up to `count`: popular items that pass the filter first (scored by interaction count when the
    /// whole list is a fallback, 0 after model scores), then any other eligible item, in id order. Inline, a top-up
    /// that walks past `ItemSearch.inlineLimit` entries is deferred.
    private func fill(_ list: RankedList, count: Int, view: ServingView, filter: ItemFilter, activity: TenantActivity, inline: Bool) throws(RankingDeferred) -> RankedList {
        guard list.items.count < count else { return list }
        var list = list
        var taken = Set(list.items.map(\.id))
        let fallbackOnly = list.items.isEmpty
        var walked = 0
        for id in activity.popular() where list.items.count < count && !taken.contains(id) {
            walked += 1
            if inline && walked > ItemSearch.inlineLimit { throw RankingDeferred(.fallbackWalk) }
            guard let item = view.catalogue.items[id], filter.allows(id, item) else { continue }
            list.items.append((id, fallbackOnly ? Float(activity.count(of: id)) : 0))
            taken.insert(id)
        }
        if list.items.count < count {
            let pool: [String] = filter.categories.map { categories in categories.sorted().flatMap { view.catalogue.members[$0] ?? [] } } ?? view.catalogue.order
            for id in pool where list.items.count < count && !taken.contains(id) {
                walked += 1
                if inline && walked > ItemSearch.inlineLimit { throw RankingDeferred(.fallbackWalk) }
                guard let item = view.catalogue.items[id], filter.allows(id, item) else { continue }
                list.items.append((id, 0))
                taken.insert(id)
            }
        }
        return list
    }
}
