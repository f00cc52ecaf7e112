/// Good and total event counts in fixed memory: one-minute buckets for three days and one-hour buckets for thirty.
struct SLIBuckets: Sendable {
    private static let minuteSlots = 3 * 24 * 60

    /// (good, total) per minute.
    private var minutes = PeriodRing<SIMD2<Double>>(slots: minuteSlots)
    /// (good, total) per hour.
    private var hours = PeriodRing<SIMD2<Double>>(slots: 30 * 24)

    /// Adds events at `time` (Unix seconds).
    mutating func add(good: Double, total: Double, at time: Double) {
        minutes.add(SIMD2(good, total), period: Int64((time / 60).rounded(.down)))
        hours.add(SIMD2(good, total), period: Int64((time / 3_600).rounded(.down)))
    }

    /// Good and total events in the `window` ending at `time`, at one-minute resolution (one hour for 30 days).
    func sum(_ window: SLOWindow, at time: Double) -> (good: Double, total: Double) {
        let sum = if window.seconds > Self.minuteSlots * 60 {
            hours.sum(last: Int64((time / 3_600).rounded(.down)), count: window.seconds / 3_600)
        } else {
            minutes.sum(last: Int64((time / 60).rounded(.down)), count: window.seconds / 60)
        }
        return (sum[0], sum[1])
    }
}
