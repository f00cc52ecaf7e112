import RecModels

/// How one family of loaded models ranks its items: the seam a new model plugs into. A scorer answers in its own
/// item numbering (the loaded model's); the ranker maps numbers to ids, applies the fallback and records the list.
/// Scorers are immutable and shared by every request served from their version.
public protocol ServingScorer: Sendable {
    /// The best `count` items for the user whose `history` is given (numbers of the loaded model's items with
    /// weights), that pass `search`'s filter; nil when the model knows nothing of the user (the fallback answers).
    func recommend(userID: String, history: ModelHistory, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems?

    /// The best `count` items like model item `item` that pass `search`'s filter; nil when the model has none.
    func similar(item: Int32, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems?

    /// The best `count` items like an item the model never saw, described by its `features`; nil when the model
    /// cannot place items by their features (the fallback answers).
    func similar(features: EntityFeatures, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems?

    /// The best `count` items for a user the model never saw and who has no history, described by their properties;
    /// nil when the model cannot encode users from properties (the fallback answers).
    func recommend(features: EntityFeatures, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems?
}

extension ServingScorer {
    /// Models that only know their training items place no new item.
    public func similar(features: EntityFeatures, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems? { nil }

    /// Models that only know users by their interactions encode no one from properties.
    public func recommend(features: EntityFeatures, count: Int, search: ItemSearch) throws(RankingDeferred) -> ScoredItems? { nil }
}

/// A user's history as a loaded model sees it: whether it holds interactions newer than the model's training snapshot,
/// and (computed only when a scorer asks, since a stored factor needs none of it) its items in the model's numbering.
public struct ModelHistory: Sendable {
    let user: UserHistory
    let activity: TenantActivity
    let itemIndex: [String: Int32]
    /// Whether the user interacted after the model's snapshot (a stored user factor is then out of date).
    public let newerThanModel: Bool

    /// The history of `user` (from `activity`) for a model numbering its items by `itemIndex`, trained up to
    /// interaction `snapshotID`.
    public init(user: UserHistory, activity: TenantActivity, itemIndex: [String: Int32], snapshotID: Int64) {
        self.user = user
        self.activity = activity
        self.itemIndex = itemIndex
        newerThanModel = user.lastID > snapshotID
    }

    /// The distinct items the model knows that the user interacted with positively, oldest first by their latest
    /// interaction (computed on each call): what a sequence-aware encoder such as the two-tower user tower reads.
    public func recent() -> [Int32] {
        let ids = activity.itemIDs(user.items)
        var seen = Set<Int32>()
        var newestFirst: [Int32] = []
        for position in ids.indices.reversed() where user.weights[position] > 0 {
            if let item = itemIndex[ids[position]], seen.insert(item).inserted { newestFirst.append(item) }
        }
        return newestFirst.reversed()
    }

    /// The distinct items the model knows, ascending, with their summed positive weights (computed on each call).
    public func weighted() -> (items: [Int32], weights: [Float]) {
        var aggregated: [Int32: Float] = [:]
        let ids = activity.itemIDs(user.items)
        for (position, id) in ids.enumerated() where user.weights[position] > 0 {
            if let item = itemIndex[id] { aggregated[item, default: 0] += user.weights[position] }
        }
        let items = aggregated.keys.sorted()
        return (items, items.map { aggregated[$0]! })
    }
}

/// A scorer's answer: model item numbers with scores, best first, and how they were ranked.
public struct ScoredItems: Sendable {
    /// Model item numbers with their scores.
    public var items: [(index: Int32, score: Float)]
    /// `model` or `fold_in`.
    public var source: ServedSource

    /// An answer.
    public init(items: [(index: Int32, score: Float)], source: ServedSource) {
        self.items = items
        self.source = source
    }
}
