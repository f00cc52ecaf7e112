#if canImport(Glibc)
import Glibc
#endif

/// Distances between two distributions over the same bins (counts in, shares computed here).
public enum DriftStatistics {
    /// Shares below this count as this (so empty bins do not make PSI infinite).
    public static let floor = 1e-4

    /// Population stability index: Σ (live − base) · ln(live / base), over smoothed shares.
    public static func psi(baseline: [Double], live: [Double]) -> Double {
        let (p, q) = shares(baseline, live)
        var total = 0.0
        for index in p.indices { total += (q[index] - p[index]) * log(q[index] / p[index]) }
        return total
    }

    /// Jensen–Shannon divergence in bits (0 identical, 1 disjoint).
    public static func jensenShannon(baseline: [Double], live: [Double]) -> Double {
        let p = normalised(baseline)
        let q = normalised(live)
        guard !p.isEmpty, !q.isEmpty else { return 0 }
        var total = 0.0
        for index in p.indices {
            let m = (p[index] + q[index]) / 2
            if p[index] > 0 { total += 0.5 * p[index] * log2(p[index] / m) }
            if q[index] > 0 { total += 0.5 * q[index] * log2(q[index] / m) }
        }
        return max(0, min(1, total))
    }

    private static func normalised(_ counts: [Double]) -> [Double] {
        let sum = counts.reduce(0, +)
        guard sum > 0 else { return [] }
        return counts.map { $0 / sum }
    }

    private static func shares(_ baseline: [Double], _ live: [Double]) -> ([Double], [Double]) {
        func smoothed(_ counts: [Double]) -> [Double] {
            let shares = normalised(counts)
            guard !shares.isEmpty else { return [Double](repeating: 1 / Double(max(counts.count, 1)), count: counts.count) }
            let floored = shares.map { max($0, floor) }
            let sum = floored.reduce(0, +)
            return floored.map { $0 / sum }
        }
        return (smoothed(baseline), smoothed(live))
    }
}
