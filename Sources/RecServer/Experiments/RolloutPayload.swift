import RecCore
import RecStore

/// A canary rollout as `GET /api/v1/rollouts/{id}` shows it: the candidate against the baseline, the live comparison
/// of their hit rates, and once it has ended, the decision that ended it.
struct RolloutPayload: Encodable, Sendable {
    /// The live comparison: the candidate's relative hit-rate lift over the baseline, always-valid.
    struct Comparison: Encodable, Sendable {
        let metric: String
        let lift: ExperimentResults.Estimate
        let p_value: Double
        let margin: Double
    }

    let rollout_id: String
    let status: String
    let candidate_version: String
    let baseline_version: String
    let traffic: Int
    let min_lists: Int
    let max_lists: Int
    let margin: Double
    let alpha: Double
    let created_at: String
    let ended_at: String?
    let variants: [ExperimentResults.Variant]
    let comparison: Comparison?
    /// Why it ended (`reason`), and the comparison then.
    let decision: JSONValue?

    init(_ rollout: ExperimentRecord, _ results: ExperimentResults, comparison: VariantComparison?) {
        rollout_id = rollout.id
        status = rollout.status.rawValue
        baseline_version = rollout.variants.first?.model_version ?? ""
        candidate_version = rollout.variants.last?.model_version ?? ""
        traffic = rollout.variants.last?.traffic ?? 0
        min_lists = rollout.settings.min_lists ?? 0
        max_lists = rollout.settings.max_lists ?? 0
        margin = rollout.settings.margin ?? RolloutJudge.defaultMargin
        alpha = rollout.settings.alpha
        created_at = Timestamp.formatRFC3339(rollout.createdAt)
        ended_at = rollout.endedAt.map(Timestamp.formatRFC3339)
        variants = results.variants
        self.comparison = comparison.map {
            Comparison(metric: "hit_rate", lift: .init(value: $0.lift, lower: $0.lower, upper: $0.upper), p_value: $0.pValue, margin: rollout.settings.margin ?? RolloutJudge.defaultMargin)
        }
        decision = rollout.decision
    }
}
