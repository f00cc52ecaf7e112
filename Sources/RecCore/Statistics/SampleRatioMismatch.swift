import Foundation

/// The sample ratio mismatch (SRM) check: does the observed split of users over variants match the configured one?
///
/// This is GrowthBook's `check_srm` (gbstats/utils.py): a chi-square goodness-of-fit test. A small p-value (GrowthBook
/// warns below 0.001) means the assignment or the logging is broken, and the experiment's results should not be trusted.
public enum SampleRatioMismatch {
    /// The chi-square goodness-of-fit p-value of `observed` user counts against `expectedShares`, as gbstats `check_srm`.
    ///
    /// The shares are normalised to sum to 1, so percentages and weights work alike. A variant whose share is 0 (or
    /// negative, or NaN) contributes no term, but, as in gbstats, the degrees of freedom are still `observed.count − 1`.
    /// Returns 1 (no evidence of a mismatch) when there are fewer than 2 variants, no users, mismatched array lengths,
    /// a negative count, or no positive share.
    public static func pValue(observed: [Int], expectedShares: [Double]) -> Double {
        guard observed.count >= 2, observed.count == expectedShares.count else { return 1 }
        guard observed.allSatisfy({ $0 >= 0 }) else { return 1 }
        let totalUsers = observed.reduce(0.0) { $0 + Double($1) }
        let positiveShares = expectedShares.map { $0 > 0 && $0.isFinite ? $0 : 0 }
        let totalShare = positiveShares.reduce(0, +)
        guard totalUsers > 0, totalShare > 0 else { return 1 }

        var statistic = 0.0
        for (count, share) in zip(observed, positiveShares) where share > 0 {
            let expected = share / totalShare * totalUsers
            let difference = Double(count) - expected
            statistic += difference * difference / expected
        }
        return ChiSquare.survival(statistic, degreesOfFreedom: observed.count - 1)
    }
}
