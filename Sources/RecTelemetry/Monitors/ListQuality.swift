import RecCore

/// Online quality of one served list against the items its user interacted with afterwards.
public enum ListQuality {
    /// NDCG@`k` with binary relevance (`NDCG.binary`): hits discounted by position, over the ideal for
    /// min(|relevant|, k) hits.
    public static func ndcg(served: [String], relevant: Set<String>, k: Int = 10) -> Double {
        NDCG.binary(count: served.count, relevantCount: relevant.count, k: k) { relevant.contains(served[$0]) }
    }

    /// Whether any of the first `k` served items was interacted with.
    public static func hit(served: [String], relevant: Set<String>, k: Int = 10) -> Bool {
        served.prefix(k).contains(where: relevant.contains)
    }
}
