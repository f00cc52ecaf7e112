import Testing
@testable import RecCore

/// Reference values from scipy 1.17.1 (`scipy.stats.t`) and mpmath 1.4.1 (log B); the cdf and ppf tables are printed by
/// Scripts/reference_values.py.
struct StudentTTests {
    @Test(arguments: [
        (0.0, 3.0, 0.5),
        (1.0, 1.0, 0.75),
        (2.0, 2.0, 0.908248290463863),
        (2.5, 5.0, 0.9727549503288119),
        (-1.7, 12.5, 0.056929491836894025),
        (3.0, 50.0, 0.9978991484064659),
        (4.0, 1234.5, 0.9999664474273793),
        (6.0, 30.0, 0.9999993028615617),
        (1.96, 100000.0, 0.9750007184028492),
        (-3.0, 250.0, 0.0014863310455888272),
    ])
    func cdfMatchesScipy(t: Double, degreesOfFreedom: Double, expected: Double) {
        #expect(isApproximatelyEqual(StudentT.cdf(t, degreesOfFreedom: degreesOfFreedom), expected, relative: 1e-12))
    }

    /// Upper tails (`scipy.stats.t.sf`, which agrees with mpmath at 50 digits to ~1e-15). The continued fraction's
    /// relative error grows like ~4e-17·ν (rounding of x = ν/(ν + t²) is amplified by a = ν/2), hence the looser bound
    /// at ν = 1e7; before log B(a, b) avoided lgamma cancellation, ν = 1e5 was already off by 8e-11.
    @Test(arguments: [
        (2.0, 1e7, 0.02275014544592148, 1e-9),
        (5.0, 1e6, 2.8669989354453723e-07, 1e-10),
        (1.96, 1e5, 0.024999281597150819, 1e-11),
        (-3.0, 250.0, 0.9985136689544112, 1e-12),
        (6.0, 30.0, 6.971384383602382e-07, 1e-12),
    ])
    func survivalMatchesScipy(t: Double, degreesOfFreedom: Double, expected: Double, tolerance: Double) {
        let tail = StudentT.survival(t, degreesOfFreedom: degreesOfFreedom)
        #expect(isApproximatelyEqual(tail, expected, relative: tolerance))
    }

    /// log B(a, b) from mpmath at 40 digits (`mpmath.log(mpmath.beta(a, b))`); scipy's `betaln` is off by ~1e-10 for
    /// the two lopsided cases.
    @Test(arguments: [
        (0.5, 3.0, 0.06453852113757116),
        (0.5, 20000.0, -4.3793725833433645867),
        (3.0, 15.0, -7.620705086838262),
        (50.0, 60.0, -76.522723353350512681),
        (1e6, 0.5, -6.335390211057436965),
        (2500.0, 2500.0, -3468.3823636816703811),
    ])
    func logBetaMatchesScipy(a: Double, b: Double, expected: Double) {
        #expect(isApproximatelyEqual(IncompleteBeta.logBeta(a, b), expected, relative: 1e-13))
    }

    @Test(arguments: [
        (0.975, 1.0, 12.706204736174694),
        (0.975, 2.0, 4.302652729749462),
        (0.975, 5.0, 2.5705818356363146),
        (0.975, 51.3, 2.0072987556864295),
        (0.995, 10.0, 3.16927267261695),
        (0.6, 7.0, 0.2631668613520229),
        (1e-06, 4.0, -41.577854150450975),
        (0.975, 40000.0, 1.960023293084913),
        (1 - 1e-9, 3.0, 1033.1096842432753),
    ])
    func quantileMatchesScipy(p: Double, degreesOfFreedom: Double, expected: Double) {
        #expect(isApproximatelyEqual(StudentT.quantile(p, degreesOfFreedom: degreesOfFreedom), expected, relative: 1e-11))
    }
}
