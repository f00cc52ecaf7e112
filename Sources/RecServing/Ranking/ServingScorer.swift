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
}

/// A user's history in a loaded model's item numbering: distinct items with their summed (positive) weights, and
/// whether it holds interactions newer than the model's training snapshot.
public struct ModelHistory: Sendable {
    /// Model item numbers, ascending.
    public let items: [Int32]
    /// Each item's summed weight.
    public let weights: [Float]
    /// Whether the user interacted after the model's snapshot (a stored user factor is then out of date).
    public let newerThanModel: Bool

    /// A history.
    public init(items: [Int32], weights: [Float], newerThanModel: Bool) {
        self.items = items
        self.weights = weights
        self.newerThanModel = newerThanModel
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
