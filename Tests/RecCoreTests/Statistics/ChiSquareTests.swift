import Testing
@testable import RecCore

/// Upper-tail values from scipy 1.17.1 `scipy.stats.chi2.sf(x, k)`, printed by Scripts/reference_values.py.
struct ChiSquareTests {
    @Test(arguments: [
        (0.5, 1, 0.47950012218695337),
        (3.841458820694124, 1, 0.04999999999999989),
        (10.0, 1, 0.001565402258002549),
        (1.0, 2, 0.6065306597126334),
        (5.991464547107979, 2, 0.05000000000000007),
        (2.0, 3, 0.5724067044708798),
        (7.0, 3, 0.07189777249646509),
        (20.0, 3, 0.00016974243555282632),
        (50.0, 3, 7.989179244951495e-11),
        (0.1, 5, 0.9998376833880774),
        (9.0, 10, 0.5321035763747151),
        (30.0, 10, 0.000856641210775301),
        (100.0, 50, 3.454931382984871e-05),
        (200.0, 100, 1.1784500720979781e-08),
        (1000.0, 3, 1.7994208765314067e-216),
    ])
    func survivalMatchesScipy(x: Double, degreesOfFreedom: Int, expected: Double) {
        #expect(isApproximatelyEqual(ChiSquare.survival(x, degreesOfFreedom: degreesOfFreedom), expected, relative: 1e-12))
    }

    @Test func degenerateInputsGiveDocumentedValues() {
        #expect(ChiSquare.survival(0, degreesOfFreedom: 3) == 1)
        #expect(ChiSquare.survival(-2, degreesOfFreedom: 3) == 1)
        #expect(ChiSquare.survival(.nan, degreesOfFreedom: 3) == 1)
        #expect(ChiSquare.survival(5, degreesOfFreedom: 0) == 1)
        #expect(ChiSquare.survival(.infinity, degreesOfFreedom: 2) == 0)
    }
}
