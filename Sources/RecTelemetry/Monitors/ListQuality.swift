#if canImport(Glibc)
import Glibc
#endif

/// Online quality of one served list against the items its user interacted with afterwards.
public enum ListQuality {
    /// NDCG@`k` with binary relevance: hits discounted by position, over the ideal for min(|relevant|, k) hits.
    public static func ndcg(served: [String], relevant: Set<String>, k: Int = 10) -> Double {
        guard !relevant.isEmpty else { return 0 }
        var dcg = 0.0
        for (position, item) in served.prefix(k).enumerated() where relevant.contains(item) {
            dcg += 1 / log2(Double(position) + 2)
        }
        var ideal = 0.0
        for position in 0..<min(relevant.count, k) { ideal += 1 / log2(Double(position) + 2) }
        return dcg / ideal
    }

    /// Whether any of the first `k` served items was interacted with.
    public static func hit(served: [String], relevant: Set<String>, k: Int = 10) -> Bool {
        served.prefix(k).contains(where: relevant.contains)
    }
}
