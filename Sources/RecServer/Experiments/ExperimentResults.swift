import RecStore

/// An experiment's standing as the API reports it: each arm's exposure and rates with their intervals, and the
/// comparison of the primary metric against control (always-valid, so looking at it any time is fine).
struct ExperimentResults: Encodable, Sendable {
    /// A rate (or relative lift) with its confidence interval.
    struct Estimate: Encodable, Sendable, Equatable {
        let value: Double
        let lower: Double
        let upper: Double
    }

    /// One arm.
    struct Variant: Encodable, Sendable {
        let name: String
        let model_version: String
        let traffic: Int
        /// Distinct users served a list by the arm.
        let users: Int
        /// Lists the arm served.
        let lists: Int
        /// Users and lists whose attribution window has closed (what the rates are over).
        let evaluated_users: Int
        let evaluated_lists: Int
        let hit_rate: Estimate?
        let ndcg_at_10: Estimate?
        let conversion: Estimate?
        /// The primary metric's relative lift over control (nil for control, or before there is data).
        let lift: Estimate?
        let p_value: Double?

        enum CodingKeys: String, CodingKey {
            case name, model_version, traffic, users, lists, evaluated_users, evaluated_lists, hit_rate
            case ndcg_at_10 = "ndcg@10"
            case conversion, lift, p_value
        }
    }

    let variants: [Variant]
    /// Chi-square p-value of users per arm against the traffic split (nil before any user).
    let srm_p_value: Double?
    /// Whether the split is mismatched (p below 0.001): the comparison cannot be trusted.
    let sample_ratio_mismatch: Bool
    /// The primary metric's always-valid p-value (the best treatment against control, Bonferroni-adjusted when there
    /// are several), nil while collecting.
    let p_value: Double?
    /// That treatment's relative lift with its interval.
    let lift: Estimate?
    /// `collecting` until every arm has the minimum sample, then `significant` or `not_significant`.
    let decision: String
    /// The arm that is significantly best, or nil.
    let winner: String?
    /// Users each arm needs (with evaluated lists) before any decision.
    let minimum_users: Int
}
