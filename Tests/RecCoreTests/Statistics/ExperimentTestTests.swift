import Testing
@testable import RecCore

/// Expected values are gbstats 0.8.0's own results on the same sums (see `ReferenceDataset`).
struct ExperimentTestTests {
    static func expectMatches(
        _ actual: VariantComparison?, _ expected: ReferenceDataset.Expected, tolerance: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let actual else {
            Issue.record("expected a comparison, got nil", sourceLocation: sourceLocation)
            return
        }
        #expect(isApproximatelyEqual(actual.lift, expected.lift, relative: tolerance), sourceLocation: sourceLocation)
        #expect(isApproximatelyEqual(actual.lower, expected.lower, relative: tolerance), sourceLocation: sourceLocation)
        #expect(isApproximatelyEqual(actual.upper, expected.upper, relative: tolerance), sourceLocation: sourceLocation)
        #expect(isApproximatelyEqual(actual.pValue, expected.pValue, relative: tolerance), sourceLocation: sourceLocation)
        #expect(
            isApproximatelyEqual(actual.standardError, expected.standardError, relative: tolerance),
            sourceLocation: sourceLocation
        )
    }

    @Test(arguments: ReferenceDataset.all)
    func fixedHorizonMatchesGbstatsTwoSidedTTest(dataset: ReferenceDataset) {
        let result = ExperimentTest.fixedHorizon(control: dataset.control, treatment: dataset.treatment, alpha: 0.05)
        Self.expectMatches(result, dataset.fixed, tolerance: 1e-9)
    }

    @Test(arguments: ReferenceDataset.all)
    func sequentialMatchesGbstatsSequentialTwoSidedTTest(dataset: ReferenceDataset) {
        let result = ExperimentTest.sequential(control: dataset.control, treatment: dataset.treatment, alpha: 0.05)
        Self.expectMatches(result, dataset.sequential, tolerance: 1e-9)
    }

    @Test(arguments: ReferenceDataset.all)
    func sequentialIntervalIsWiderThanFixedHorizon(dataset: ReferenceDataset) throws {
        let fixed = try #require(
            ExperimentTest.fixedHorizon(control: dataset.control, treatment: dataset.treatment, alpha: 0.05))
        let sequential = try #require(
            ExperimentTest.sequential(control: dataset.control, treatment: dataset.treatment, alpha: 0.05))
        #expect(sequential.lower < fixed.lower)
        #expect(sequential.upper > fixed.upper)
        #expect(sequential.pValue > fixed.pValue)
    }

    /// With ρ fixed by alpha, gbstats' always-valid p-value is below alpha exactly when the sequence excludes 0.
    @Test(arguments: ReferenceDataset.all)
    func sequentialPValueAgreesWithItsInterval(dataset: ReferenceDataset) throws {
        for alpha in [0.01, 0.05, 0.1, 0.2, 0.3, 0.5] {
            let result = try #require(
                ExperimentTest.sequential(control: dataset.control, treatment: dataset.treatment, alpha: alpha))
            #expect((result.pValue < alpha) == result.excludesZero, "alpha \(alpha)")
        }
    }

    /// The small dataset's interval uses Student's t at gbstats' Welch ν = 42.3468108081379, whose 0.975 quantile is
    /// 2.0175921644050896 (scipy `t.ppf`), not z = 1.96: a normal approximation would fail this test.
    @Test func fixedHorizonUsesWelchStudentTNotNormal() throws {
        let dataset = ReferenceDataset.ndcgSmall
        let result = try #require(
            ExperimentTest.fixedHorizon(control: dataset.control, treatment: dataset.treatment, alpha: 0.05))
        let multiplier = (result.upper - result.lift) / result.standardError
        #expect(isApproximatelyEqual(multiplier, 2.0175921644050896, relative: 1e-9))
    }

    @Test func degenerateInputsGiveNil() {
        let good = ReferenceDataset.hits.control
        var oneUser = RatioMoments()
        oneUser.add(x: 1, y: 2)
        let zeroMean = RatioMoments(users: 100, sumX: 0, sumY: 300, sumX2: 0, sumY2: 1000, sumXY: 0)
        let zeroVariance = RatioMoments(users: 100, sumX: 100, sumY: 400, sumX2: 100, sumY2: 1600, sumXY: 400)
        let cases: [(RatioMoments, RatioMoments)] = [
            (RatioMoments(), good), (good, RatioMoments()), (oneUser, good), (good, oneUser),
            (zeroMean, good), (zeroVariance, good), (good, zeroVariance),
        ]
        for (control, treatment) in cases {
            #expect(ExperimentTest.fixedHorizon(control: control, treatment: treatment, alpha: 0.05) == nil)
            #expect(ExperimentTest.sequential(control: control, treatment: treatment, alpha: 0.05) == nil)
        }

        for alpha in [0.0, 1.0, -0.5, .nan] {
            #expect(ExperimentTest.fixedHorizon(control: good, treatment: good, alpha: alpha) == nil)
            #expect(ExperimentTest.sequential(control: good, treatment: good, alpha: alpha) == nil)
        }
        #expect(ExperimentTest.sequential(control: good, treatment: good, alpha: 0.05, tau: 0) == nil)
    }

    @Test func identicalVariantsShowNoEffect() throws {
        let moments = ReferenceDataset.hits.control
        let fixed = try #require(ExperimentTest.fixedHorizon(control: moments, treatment: moments, alpha: 0.05))
        #expect(fixed.lift == 0)
        #expect(fixed.pValue == 1)
        #expect(!fixed.excludesZero)
        let sequential = try #require(ExperimentTest.sequential(control: moments, treatment: moments, alpha: 0.05))
        #expect(sequential.pValue == 1)
    }

    @Test func minimumUsersIsGrowthBooksDefault() {
        #expect(ExperimentTest.minimumUsers == 150)
    }
}
