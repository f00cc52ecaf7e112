/// How an experiment or rollout is judged: its metric and significance level, and for a rollout, when it decides.
public struct ExperimentSettings: Sendable, Equatable, Codable {
    /// `hit_rate`, `ndcg@10` or `conversion` (a rollout judges `hit_rate`).
    public var primary_metric: String
    /// The significance level of the two-sided test.
    public var alpha: Double
    /// The interaction type that counts as a conversion.
    public var conversion_type: String
    /// Rollouts: lists each arm needs before the candidate can be promoted.
    public var min_lists: Int?
    /// Rollouts: lists each arm may collect before an inconclusive candidate is rolled back.
    public var max_lists: Int?
    /// Rollouts: how far (relative) the candidate's hit rate may be below the baseline's and still count as not inferior.
    public var margin: Double?

    /// Settings.
    public init(primaryMetric: String, alpha: Double, conversionType: String, minLists: Int? = nil, maxLists: Int? = nil, margin: Double? = nil) {
        primary_metric = primaryMetric
        self.alpha = alpha
        conversion_type = conversionType
        min_lists = minLists
        max_lists = maxLists
        self.margin = margin
    }
}
