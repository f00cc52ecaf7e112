import Testing
@testable import RecCore

/// Expected p-values from `scipy.stats.chisquare` (scipy 1.17.1), which agree to the last digit with gbstats 0.8.0
/// `gbstats.utils.check_srm`; the zero-share case comes from `check_srm` alone. Printed by Scripts/reference_values.py.
struct SampleRatioMismatchTests {
    @Test(arguments: [
        ([5000, 5000], [0.5, 0.5], 1.0),
        ([5100, 4900], [0.5, 0.5], 0.04550026389635857),
        ([4500, 5500], [0.5, 0.5], 1.5239706048320995e-23),
        ([2050, 2900, 5050], [0.2, 0.3, 0.5], 0.07873506526686182),
        ([1000, 1100, 900], [1, 1, 1], 4.539992976248486e-05),  // shares need not sum to 1
        ([120, 880], [0.1, 0.9], 0.03501498101966245),
        // A 0% variant adds no term but, as in gbstats, still counts towards k − 1 = 2 degrees of freedom.
        ([500, 480, 7], [0.5, 0.5, 0.0], 0.7965567203138629),
    ])
    func matchesScipyAndGbstats(observed: [Int], shares: [Double], expected: Double) {
        let p = SampleRatioMismatch.pValue(observed: observed, expectedShares: shares)
        #expect(isApproximatelyEqual(p, expected, relative: 1e-10))
    }

    @Test func degenerateInputsReportNoMismatch() {
        #expect(SampleRatioMismatch.pValue(observed: [0, 0], expectedShares: [0.5, 0.5]) == 1)
        #expect(SampleRatioMismatch.pValue(observed: [100], expectedShares: [1]) == 1)
        #expect(SampleRatioMismatch.pValue(observed: [], expectedShares: []) == 1)
        #expect(SampleRatioMismatch.pValue(observed: [10, 20], expectedShares: [1]) == 1)
        #expect(SampleRatioMismatch.pValue(observed: [10, 20], expectedShares: [0, 0]) == 1)
        #expect(SampleRatioMismatch.pValue(observed: [10, -20], expectedShares: [0.5, 0.5]) == 1)
    }
}
