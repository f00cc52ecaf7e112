import Foundation

/// The sufficient statistics of a ratio metric for one variant, where the randomisation unit is the user.
///
/// Each user contributes a numerator x (e.g. their hits, or their summed NDCG) and a denominator y (e.g. their lists).
/// The metric is R = Σx / Σy, and its variance comes from the delta method, as gbstats' `RatioStatistic` computes it.
public struct RatioMoments: Sendable, Equatable, Codable {
    /// The number of users, n.
    public var users: Int
    /// Σx over users.
    public var sumX: Double
    /// Σy over users.
    public var sumY: Double
    /// Σx² over users.
    public var sumX2: Double
    /// Σy² over users.
    public var sumY2: Double
    /// Σxy over users.
    public var sumXY: Double

    /// Creates moments from sums already accumulated elsewhere (e.g. by a SQL query); every value defaults to 0.
    public init(
        users: Int = 0, sumX: Double = 0, sumY: Double = 0, sumX2: Double = 0, sumY2: Double = 0, sumXY: Double = 0
    ) {
        self.users = users
        self.sumX = sumX
        self.sumY = sumY
        self.sumX2 = sumX2
        self.sumY2 = sumY2
        self.sumXY = sumXY
    }

    /// Adds one user with numerator `x` and denominator `y`.
    public mutating func add(x: Double, y: Double) {
        users += 1
        sumX += x
        sumY += y
        sumX2 += x * x
        sumY2 += y * y
        sumXY += x * y
    }

    /// The moments of the union of two disjoint sets of users (e.g. two shards or two days).
    public static func + (lhs: RatioMoments, rhs: RatioMoments) -> RatioMoments {
        RatioMoments(
            users: lhs.users + rhs.users,
            sumX: lhs.sumX + rhs.sumX,
            sumY: lhs.sumY + rhs.sumY,
            sumX2: lhs.sumX2 + rhs.sumX2,
            sumY2: lhs.sumY2 + rhs.sumY2,
            sumXY: lhs.sumXY + rhs.sumXY
        )
    }

    /// The ratio estimate R = Σx / Σy, or 0 when Σy = 0.
    public var mean: Double {
        sumY == 0 ? 0 : sumX / sumY
    }

    /// The delta-method variance per user, σx²/μy² − 2·μx·σxy/μy³ + μx²·σy²/μy⁴ (gbstats `RatioStatistic.variance`).
    ///
    /// Sample variances and the covariance use n − 1. It is 0 when n < 2 or Σy = 0, and can only be negative through
    /// rounding or inconsistent sums.
    public var userVariance: Double {
        guard users >= 2, sumY != 0 else { return 0 }
        let n = Double(users)
        let meanX = sumX / n
        let meanY = sumY / n
        let varianceX = (sumX2 - sumX * sumX / n) / (n - 1)
        let varianceY = (sumY2 - sumY * sumY / n) / (n - 1)
        let covariance = (sumXY - sumX * sumY / n) / (n - 1)
        let meanY2 = meanY * meanY
        return varianceX / meanY2
            - 2 * covariance * meanX / (meanY2 * meanY)
            + meanX * meanX * varianceY / (meanY2 * meanY2)
    }

    /// The variance of the ratio estimate, `userVariance / n`: 0 when n < 2 or Σy = 0, and never negative.
    public var meanVariance: Double {
        guard users >= 2 else { return 0 }
        return max(userVariance, 0) / Double(users)
    }

    /// The two-sided normal confidence interval mean ± z₁₋α/₂ · √meanVariance.
    ///
    /// Returns nil when there are fewer than 2 users, Σy = 0, `alpha` is not in (0, 1) or the sums are not finite.
    /// With zero variance the interval is the single point (mean, mean).
    public func interval(alpha: Double) -> (lower: Double, upper: Double)? {
        guard users >= 2, sumY != 0, alpha > 0, alpha < 1 else { return nil }
        let halfWidth = Normal.quantile(1 - alpha / 2) * meanVariance.squareRoot()
        guard halfWidth.isFinite, mean.isFinite else { return nil }
        return (mean - halfWidth, mean + halfWidth)
    }
}
