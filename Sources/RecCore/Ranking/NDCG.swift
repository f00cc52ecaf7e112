#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Normalised discounted cumulative gain with binary relevance: the one definition that offline evaluation
/// (`Evaluator`) and the online monitors (`ListQuality`) share.
public enum NDCG {
    /// NDCG@`k` of a ranked list of `count` positions, position `rank` (0-based) relevant when `isRelevant(rank)`, with
    /// `relevantCount` relevant items in all: the hits in the first `k` positions, each discounted by
    /// 1 / log2(rank + 2), over the gain of min(`relevantCount`, `k`) hits at the top. 0 when nothing is relevant.
    @inlinable
    public static func binary(count: Int, relevantCount: Int, k: Int, isRelevant: (Int) -> Bool) -> Double {
        guard relevantCount > 0, k > 0 else { return 0 }
        var gain = 0.0
        for rank in 0..<min(count, k) where isRelevant(rank) { gain += discount(rank) }
        var ideal = 0.0
        for rank in 0..<min(relevantCount, k) { ideal += discount(rank) }
        return gain / ideal
    }

    /// The gain of a hit at 0-based `rank`: 1 / log2(rank + 2).
    @inlinable
    public static func discount(_ rank: Int) -> Double {
        1 / log2(Double(rank) + 2)
    }
}
