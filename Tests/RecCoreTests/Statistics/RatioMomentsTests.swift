import Foundation
import Testing
@testable import RecCore

struct RatioMomentsTests {
    /// Ten users (x = hits, y = lists) whose expected values numpy computed from the raw per-user arrays with
    /// `np.var(ddof=1)` and `np.cov` (Scripts/reference_values.py), independently of the sums formula under test.
    static let tenUsers: [(x: Double, y: Double)] = [
        (0, 1), (1, 2), (0, 1), (2, 3), (1, 2), (0, 1), (3, 5), (1, 4), (0, 2), (1, 1),
    ]

    static func moments(of users: some Sequence<(x: Double, y: Double)>) -> RatioMoments {
        var moments = RatioMoments()
        for user in users { moments.add(x: user.x, y: user.y) }
        return moments
    }

    @Test func addAccumulatesTheSums() {
        let moments = Self.moments(of: Self.tenUsers)
        #expect(moments == RatioMoments(users: 10, sumX: 9, sumY: 22, sumX2: 17, sumY2: 66, sumXY: 30))
    }

    @Test func meanVarianceAndIntervalMatchNumpy() throws {
        let moments = Self.moments(of: Self.tenUsers)
        #expect(isApproximatelyEqual(moments.mean, 0.4090909090909091, relative: 1e-15))
        #expect(isApproximatelyEqual(moments.userVariance, 0.08034894398530772, relative: 1e-12))
        #expect(isApproximatelyEqual(moments.meanVariance, 0.008034894398530772, relative: 1e-12))
        let interval = try #require(moments.interval(alpha: 0.05))
        // mean ± scipy.stats.norm.ppf(0.975) · √meanVariance, from numpy.
        #expect(isApproximatelyEqual(interval.lower, 0.23340449538574565, relative: 1e-12))
        #expect(isApproximatelyEqual(interval.upper, 0.5847773227960726, relative: 1e-12))
    }

    @Test(arguments: ReferenceDataset.all)
    func meanAndVarianceMatchGbstats(dataset: ReferenceDataset) {
        #expect(isApproximatelyEqual(dataset.control.mean, dataset.controlMean, relative: 1e-14))
        #expect(isApproximatelyEqual(dataset.treatment.mean, dataset.treatmentMean, relative: 1e-14))
        #expect(isApproximatelyEqual(dataset.control.userVariance, dataset.controlUserVariance, relative: 1e-11))
        #expect(isApproximatelyEqual(dataset.treatment.userVariance, dataset.treatmentUserVariance, relative: 1e-11))
        let expectedMeanVariance = dataset.controlUserVariance / Double(dataset.control.users)
        #expect(isApproximatelyEqual(dataset.control.meanVariance, expectedMeanVariance, relative: 1e-11))
    }

    @Test func plusMergesDisjointUsers() {
        let whole = Self.moments(of: Self.tenUsers)
        let merged = Self.moments(of: Self.tenUsers.prefix(4)) + Self.moments(of: Self.tenUsers.dropFirst(4))
        #expect(merged == whole)
    }

    @Test func codableRoundTrips() throws {
        let moments = ReferenceDataset.ndcgSmall.control
        let decoded = try JSONDecoder().decode(RatioMoments.self, from: JSONEncoder().encode(moments))
        #expect(decoded == moments)
    }

    @Test func degenerateInputsGiveDocumentedValues() {
        let empty = RatioMoments()
        #expect(empty.mean == 0)
        #expect(empty.userVariance == 0)
        #expect(empty.meanVariance == 0)
        #expect(empty.interval(alpha: 0.05) == nil)

        var single = RatioMoments()
        single.add(x: 1, y: 3)
        #expect(single.mean == 1.0 / 3.0)
        #expect(single.meanVariance == 0)
        #expect(single.interval(alpha: 0.05) == nil)

        let noDenominator = RatioMoments(users: 5, sumX: 3, sumY: 0, sumX2: 3, sumY2: 0, sumXY: 0)
        #expect(noDenominator.mean == 0)
        #expect(noDenominator.userVariance == 0)
        #expect(noDenominator.interval(alpha: 0.05) == nil)

        // Every user has exactly 1 hit in 4 lists: zero variance, a zero-width interval at the mean.
        let constant = Self.moments(of: Array(repeating: (x: 1.0, y: 4.0), count: 20))
        #expect(constant.meanVariance == 0)
        let interval = constant.interval(alpha: 0.05)
        #expect(interval?.lower == 0.25 && interval?.upper == 0.25)

        let moments = Self.moments(of: Self.tenUsers)
        #expect(moments.interval(alpha: 0) == nil)
        #expect(moments.interval(alpha: 1) == nil)
        #expect(moments.interval(alpha: .nan) == nil)
    }
}
