import RecTelemetry

/// Online quality sums per minute over the last day (a fixed ring), so 1h and 1d windows read in constant memory.
struct RollingQuality: Sendable {
    private static let slots = 1_440
    /// (NDCG sum, lists with an interaction, hits, lists) per minute.
    private var minutes = PeriodRing<SIMD4<Double>>(slots: slots)

    /// Adds one evaluated list served at `millis`.
    mutating func add(ndcg value: Double, interacted: Bool, hit: Bool, at millis: Int64) {
        minutes.add(SIMD4(value, interacted ? 1 : 0, hit ? 1 : 0, 1), period: millis / 60_000)
    }

    /// NDCG (over lists with interactions), hit rate (over all) and lists, for lists served in the `minutes` before `millis`.
    func summary(minutes count: Int, endingAt millis: Int64) -> (ndcg: Double, hitRate: Double, lists: Int, interacted: Int) {
        let sums = minutes.sum(last: millis / 60_000, count: count)
        let (ndcg, interacted, hits, lists) = (sums[0], sums[1], sums[2], sums[3])
        return (interacted > 0 ? ndcg / interacted : 0, lists > 0 ? hits / lists : 0, Int(lists), Int(interacted))
    }

    /// Whether anything was added in the last day before `millis`.
    func isEmpty(before millis: Int64) -> Bool {
        summary(minutes: Self.slots, endingAt: millis).lists == 0
    }
}
