/// Offline metrics of one model on one test set, averaged over the users with test items.
public struct EvaluationResult: Sendable, Equatable, Codable {
    /// The cut-off K.
    public var k: Int
    /// Users evaluated (those with at least one test item).
    public var users: Int
    /// Mean Recall@K: hits / test items.
    public var recall: Double
    /// Mean NDCG@K with binary relevance; ideal DCG over min(test items, K).
    public var ndcg: Double
    /// Mean Precision@K: hits / K.
    public var precision: Double
    /// Mean average precision at K, normalised by min(test items, K).
    public var map: Double
    /// Fraction of users with at least one hit.
    public var hitRate: Double
    /// Fraction of the catalogue (or of the candidates, when ranking was limited to some) recommended to at least one user.
    public var coverage: Double
    /// Mean training interaction count of the recommended items (popularity bias).
    public var averagePopularity: Double

    /// The metrics keyed as the CLI and API print them (`recall@20`, …).
    public var metrics: [String: Double] {
        [
            "recall@\(k)": recall, "ndcg@\(k)": ndcg, "precision@\(k)": precision, "map@\(k)": map,
            "hit_rate@\(k)": hitRate, "coverage": coverage, "avg_popularity": averagePopularity,
        ]
    }
}
