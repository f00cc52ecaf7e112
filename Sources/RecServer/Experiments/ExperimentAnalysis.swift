import RecCore
import RecStore

/// Turns an experiment's stored totals into its results: rates with intervals, the sequential comparison of the
/// primary metric against control, the sample-ratio check, the decision and the winner.
enum ExperimentAnalysis {
    /// The metrics an experiment can be judged by.
    static let metrics = ["hit_rate", "ndcg@10", "conversion"]
    /// Below this the users per arm do not fit the traffic split (GrowthBook's threshold).
    static let srmThreshold = 0.001

    /// The results of `experiment` given its arms' `totals`.
    static func results(_ experiment: ExperimentRecord, totals: [String: VariantTotals]) -> ExperimentResults {
        let alpha = experiment.settings.alpha
        let metric = experiment.settings.primary_metric
        let arms = experiment.variants.map { totals[$0.name] ?? VariantTotals() }
        let control = arms.first.map { moments($0, metric) } ?? RatioMoments()
        let treatments = max(1, experiment.variants.count - 1)
        // Several treatments share the error rate (Bonferroni), so the family stays at alpha.
        let comparisons: [VariantComparison?] = arms.indices.map { index in
            index == 0 ? nil : ExperimentTest.sequential(control: control, treatment: moments(arms[index], metric), alpha: alpha / Double(treatments))
        }
        let variants = experiment.variants.indices.map { index in
            let arm = arms[index]
            let comparison = comparisons[index]
            return ExperimentResults.Variant(
                name: experiment.variants[index].name, model_version: experiment.variants[index].model_version, traffic: experiment.variants[index].traffic,
                users: arm.users, lists: arm.lists, evaluated_users: arm.hitRate.users, evaluated_lists: arm.evaluatedLists,
                hit_rate: estimate(arm.hitRate, alpha: alpha), ndcg_at_10: estimate(arm.ndcg, alpha: alpha), conversion: estimate(arm.conversion, alpha: alpha),
                lift: comparison.map { .init(value: $0.lift, lower: $0.lower, upper: $0.upper) }, p_value: comparison.map(\.pValue)
            )
        }
        let srm = arms.reduce(0) { $0 + $1.users } > 0
            ? SampleRatioMismatch.pValue(observed: arms.map(\.users), expectedShares: experiment.variants.map { Double($0.traffic) })
            : nil
        let enough = arms.allSatisfy { $0.hitRate.users >= ExperimentTest.minimumUsers }
        var decision = "collecting"
        var pValue: Double?
        var lift: ExperimentResults.Estimate?
        var winner: String?
        if enough {
            let best = comparisons.indices.compactMap { index in comparisons[index].map { (index, $0) } }.min { $0.1.pValue < $1.1.pValue }
            if let (_, comparison) = best {
                pValue = min(1, comparison.pValue * Double(treatments))
                lift = .init(value: comparison.lift, lower: comparison.lower, upper: comparison.upper)
            }
            let better = comparisons.indices.compactMap { index -> (Int, VariantComparison)? in
                guard let comparison = comparisons[index], comparison.lower > 0 else { return nil }
                return (index, comparison)
            }
            let present = comparisons.compactMap { $0 }
            let worse = !present.isEmpty && present.count == treatments && present.allSatisfy { $0.upper < 0 }
            if let top = better.max(by: { $0.1.lift < $1.1.lift }) {
                winner = experiment.variants[top.0].name
            } else if worse {
                winner = experiment.variants.first?.name
            }
            decision = present.contains { $0.lower > 0 || $0.upper < 0 } ? "significant" : "not_significant"
        }
        return ExperimentResults(
            variants: variants, srm_p_value: srm, sample_ratio_mismatch: (srm ?? 1) < srmThreshold, p_value: pValue, lift: lift,
            decision: decision, winner: winner, minimum_users: ExperimentTest.minimumUsers
        )
    }

    /// The per-user moments of `metric` in `totals`.
    static func moments(_ totals: VariantTotals, _ metric: String) -> RatioMoments {
        switch metric {
        case "ndcg@10": totals.ndcg
        case "conversion": totals.conversion
        default: totals.hitRate
        }
    }

    /// A rate with its interval, nil before any evaluated list.
    private static func estimate(_ moments: RatioMoments, alpha: Double) -> ExperimentResults.Estimate? {
        guard moments.users > 0, moments.sumY > 0 else { return nil }
        // One user has no spread yet: the interval is the point.
        let interval = moments.interval(alpha: alpha) ?? (moments.mean, moments.mean)
        return .init(value: moments.mean, lower: interval.lower, upper: interval.upper)
    }
}
