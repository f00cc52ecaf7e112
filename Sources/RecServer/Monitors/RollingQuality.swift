/// Online quality sums per minute over the last day (a fixed ring), so 1h and 1d windows read in constant memory.
struct RollingQuality: Sendable {
    private static let slots = 1_440
    private var stamps = [Int64](repeating: -1, count: slots)
    private var ndcg = [Double](repeating: 0, count: slots)
    private var withInteractions = [Double](repeating: 0, count: slots)
    private var hits = [Double](repeating: 0, count: slots)
    private var lists = [Double](repeating: 0, count: slots)

    /// Adds one evaluated list served at `millis`.
    mutating func add(ndcg value: Double, interacted: Bool, hit: Bool, at millis: Int64) {
        let minute = millis / 60_000
        let slot = Int(minute % Int64(Self.slots))
        if stamps[slot] != minute {
            stamps[slot] = minute
            ndcg[slot] = 0
            withInteractions[slot] = 0
            hits[slot] = 0
            lists[slot] = 0
        }
        ndcg[slot] += value
        if interacted { withInteractions[slot] += 1 }
        if hit { hits[slot] += 1 }
        lists[slot] += 1
    }

    /// NDCG (over lists with interactions), hit rate (over all) and lists, for lists served in the `minutes` before `millis`.
    func summary(minutes: Int, endingAt millis: Int64) -> (ndcg: Double, hitRate: Double, lists: Int, interacted: Int) {
        let last = millis / 60_000
        var sums = (ndcg: 0.0, interacted: 0.0, hits: 0.0, lists: 0.0)
        for minute in (last - Int64(minutes) + 1)...last where minute >= 0 {
            let slot = Int(minute % Int64(Self.slots))
            guard stamps[slot] == minute else { continue }
            sums.ndcg += ndcg[slot]
            sums.interacted += withInteractions[slot]
            sums.hits += hits[slot]
            sums.lists += lists[slot]
        }
        return (sums.interacted > 0 ? sums.ndcg / sums.interacted : 0, sums.lists > 0 ? sums.hits / sums.lists : 0, Int(sums.lists), Int(sums.interacted))
    }

    /// Whether anything was added in the last day before `millis`.
    func isEmpty(before millis: Int64) -> Bool {
        summary(minutes: Self.slots, endingAt: millis).lists == 0
    }
}
