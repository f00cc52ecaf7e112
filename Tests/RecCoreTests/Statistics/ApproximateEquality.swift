/// True when `actual` is within `relative` × |expected| of `expected` (or exactly equal, which covers 0 and ±∞).
func isApproximatelyEqual(_ actual: Double, _ expected: Double, relative: Double) -> Bool {
    actual == expected || abs(actual - expected) <= relative * abs(expected)
}
