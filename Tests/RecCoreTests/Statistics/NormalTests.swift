import Testing
@testable import RecCore

/// Reference values from scipy 1.17.1 (`scipy.stats.norm.cdf` / `.ppf`), printed by Scripts/reference_values.py.
struct NormalTests {
    @Test(arguments: [
        (-8.0, 6.22096057427174e-16),
        (-3.0, 0.0013498980316300933),
        (-1.0, 0.15865525393145707),
        (0.0, 0.5),
        (0.5, 0.6914624612740131),
        (1.0, 0.8413447460685429),
        (2.0, 0.9772498680518208),
        (5.0, 0.9999997133484281),
    ])
    func cdfMatchesScipy(x: Double, expected: Double) {
        #expect(isApproximatelyEqual(Normal.cdf(x), expected, relative: 5e-14))
    }

    @Test(arguments: [
        (1e-300, -37.0470962993612),
        (1e-10, -6.361340902404056),
        (1e-05, -4.264890793922825),
        (0.001, -3.090232306167813),
        (0.02425, -1.972961051311885),
        (0.1, -1.2815515655446004),
        (0.3, -0.5244005127080409),
        (0.7, 0.5244005127080407),
        (0.975, 1.959963984540054),
        (0.999, 3.090232306167813),
        (1 - 1e-10, 6.361340889697422),
    ])
    func quantileMatchesScipy(p: Double, expected: Double) {
        #expect(isApproximatelyEqual(Normal.quantile(p), expected, relative: 1e-14))
    }

    @Test func quantileEdgesAreTheExactLimits() {
        #expect(Normal.quantile(0.5) == 0)
        #expect(Normal.quantile(0) == -.infinity)
        #expect(Normal.quantile(1) == .infinity)
        #expect(Normal.quantile(-0.1) == -.infinity)
        #expect(Normal.quantile(.nan).isNaN)
    }

    /// cdf(quantile(p)) = p in the lower tail, and 1 − cdf(quantile(1 − q)) = q in the upper tail, down to 1e-10.
    @Test func roundTripsThroughBothTails() {
        var tail = 1e-10
        while tail < 0.5 {
            let lower = Normal.quantile(tail)
            #expect(isApproximatelyEqual(Normal.cdf(lower), tail, relative: 1e-13), "lower tail \(tail)")
            let p = 1 - tail
            let upperTail = 1 - p  // exact, and what the quantile really sees
            #expect(isApproximatelyEqual(Normal.cdf(-Normal.quantile(p)), upperTail, relative: 1e-13), "upper tail \(tail)")
            tail *= 1.7
        }
    }
}
