import RecCore

/// One arm's totals: who was exposed, and the per-user sums of its evaluated lists' outcomes (the sufficient
/// statistics of the ratio metrics, users being the unit of assignment).
public struct VariantTotals: Sendable, Equatable {
    /// Distinct users served a list by the arm.
    public var users = 0
    /// Lists the arm served.
    public var lists = 0
    /// Lists whose attribution window has closed and whose outcome is recorded.
    public var evaluatedLists = 0
    /// Hits per list, per user (numerator hits, denominator evaluated lists).
    public var hitRate = RatioMoments()
    /// NDCG@10 per list, per user.
    public var ndcg = RatioMoments()
    /// Conversions per list, per user.
    public var conversion = RatioMoments()

    /// Empty totals.
    public init() {}
}
