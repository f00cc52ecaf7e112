import Foundation

/// The regularized incomplete beta function I_x(a, b), by Numerical Recipes' continued fraction (§6.4, modified Lentz).
enum IncompleteBeta {
    /// I_x(a, b) for a, b > 0 and x in [0, 1], given `oneMinusX` = 1 − x (callers often know it more precisely).
    ///
    /// Returns 0 for x ≤ 0 and 1 for x ≥ 1.
    static func regularized(a: Double, b: Double, x: Double, oneMinusX y: Double) -> Double {
        if x <= 0 { return 0 }
        if y <= 0 { return 1 }
        // log(x) and log(1 − x), each from whichever of x and 1 − x is the smaller, for precision.
        let logX = x < 0.5 ? log(x) : log1p(-y)
        let logY = y < 0.5 ? log(y) : log1p(-x)
        let logFront = a * logX + b * logY - logBeta(a, b)
        let front = exp(logFront)
        if x < (a + 1) / (a + b + 2) {
            return front * continuedFraction(a: a, b: b, x: x) / a
        }
        return 1 - front * continuedFraction(a: b, b: a, x: y) / b
    }

    /// log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a + b), without the cancellation that direct subtraction suffers
    /// when a or b is large (the method of R's `lbeta`: Stirling's formula with its correction term written out).
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let small = min(a, b)
        let large = max(a, b)
        if large < 10 {
            return lgamma(small) + lgamma(large) - lgamma(small + large)
        }
        let sum = small + large
        if small < 10 {
            let correction = stirlingCorrection(large) - stirlingCorrection(sum)
            return lgamma(small) + correction + small - small * log(sum) + (large - 0.5) * log1p(-small / sum)
        }
        let correction = stirlingCorrection(small) + stirlingCorrection(large) - stirlingCorrection(sum)
        return -0.5 * log(large) + 0.5 * log(2 * Double.pi) + correction
            + (small - 0.5) * log(small / sum) + large * log1p(-small / sum)
    }

    /// lgamma(x) − [(x − ½)·log x − x + ½·log 2π] for x ≥ 10, by the Stirling series (error below 1e-16).
    private static func stirlingCorrection(_ x: Double) -> Double {
        let inverse = 1 / x
        let inverse2 = inverse * inverse
        let series = 1.0 / 12 - inverse2 * (1.0 / 360 - inverse2 * (1.0 / 1_260 - inverse2 * (1.0 / 1_680
            - inverse2 * (1.0 / 1_188 - inverse2 * (691.0 / 360_360 - inverse2 / 156)))))
        return series * inverse
    }

    /// The continued fraction for I_x(a, b), which converges quickly for x < (a + 1)/(a + b + 2).
    private static func continuedFraction(a: Double, b: Double, x: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-16
        let qab = a + b
        let qap = a + 1
        let qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...100_000 {
            let m = Double(m)
            let m2 = 2 * m
            // Even step.
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            // Odd step.
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }
}
