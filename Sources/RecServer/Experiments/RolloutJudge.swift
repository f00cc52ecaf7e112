import RecCore
import RecStore

/// The canary rules: roll back as soon as the candidate's hit rate is significantly below the baseline's (the
/// sequential test allows looking every cycle), or a guardrail trips; once each arm has its minimum lists, promote a
/// candidate that is not inferior (the lower bound of its relative lift within the margin); roll back one still
/// inconclusive at the maximum.
enum RolloutJudge {
    /// The default relative non-inferiority margin.
    static let defaultMargin = 0.05

    /// The verdict for `rollout` given its arms' `totals` (baseline first) and a tripped guardrail, if any.
    static func judge(_ rollout: ExperimentRecord, totals: [String: VariantTotals], guardrail: String?) -> (verdict: RolloutVerdict, comparison: VariantComparison?) {
        guard rollout.variants.count == 2 else { return (.rollBack("the rollout does not have a baseline and a candidate"), nil) }
        let baseline = totals[rollout.variants[0].name] ?? VariantTotals()
        let candidate = totals[rollout.variants[1].name] ?? VariantTotals()
        let comparison = ExperimentTest.sequential(control: baseline.hitRate, treatment: candidate.hitRate, alpha: rollout.settings.alpha)
        if let guardrail { return (.rollBack("guardrail: \(guardrail)"), comparison) }
        let sampled = min(baseline.hitRate.users, candidate.hitRate.users) >= ExperimentTest.minimumUsers
        if sampled, let comparison, comparison.upper < 0 {
            return (.rollBack("the candidate's hit rate is significantly below the baseline's"), comparison)
        }
        let lists = min(baseline.evaluatedLists, candidate.evaluatedLists)
        let margin = rollout.settings.margin ?? defaultMargin
        if lists >= (rollout.settings.min_lists ?? 0), sampled, let comparison, comparison.lower >= -margin {
            return (.promote("not inferior: the lower bound of the candidate's hit-rate lift is \(percent(comparison.lower)), within the margin of -\(percent(margin))"), comparison)
        }
        if let maximum = rollout.settings.max_lists, lists >= maximum {
            return (.rollBack("inconclusive after \(maximum) lists per arm"), comparison)
        }
        return (.collecting, comparison)
    }

    private static func percent(_ value: Double) -> String {
        "\((value * 1_000).rounded() / 10)%"
    }
}
