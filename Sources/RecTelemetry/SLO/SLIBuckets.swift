/// Good and total event counts in fixed memory: one-minute buckets for three days and one-hour buckets for thirty,
/// each ring slot stamped with the minute or hour it holds so stale slots read as empty.
struct SLIBuckets: Sendable {
    private static let minuteSlots = 3 * 24 * 60
    private static let hourSlots = 30 * 24

    private var minuteStamp = [Int64](repeating: -1, count: minuteSlots)
    private var minuteGood = [Double](repeating: 0, count: minuteSlots)
    private var minuteTotal = [Double](repeating: 0, count: minuteSlots)
    private var hourStamp = [Int64](repeating: -1, count: hourSlots)
    private var hourGood = [Double](repeating: 0, count: hourSlots)
    private var hourTotal = [Double](repeating: 0, count: hourSlots)

    /// Adds events at `time` (Unix seconds).
    mutating func add(good: Double, total: Double, at time: Double) {
        let minute = Int64((time / 60).rounded(.down))
        let slot = Int(minute % Int64(Self.minuteSlots))
        if minuteStamp[slot] != minute {
            minuteStamp[slot] = minute
            minuteGood[slot] = 0
            minuteTotal[slot] = 0
        }
        minuteGood[slot] += good
        minuteTotal[slot] += total
        let hour = Int64((time / 3_600).rounded(.down))
        let hourSlot = Int(hour % Int64(Self.hourSlots))
        if hourStamp[hourSlot] != hour {
            hourStamp[hourSlot] = hour
            hourGood[hourSlot] = 0
            hourTotal[hourSlot] = 0
        }
        hourGood[hourSlot] += good
        hourTotal[hourSlot] += total
    }

    /// Good and total events in the `window` ending at `time`, at one-minute resolution (one hour for 30 days).
    func sum(_ window: SLOWindow, at time: Double) -> (good: Double, total: Double) {
        if window.seconds > Self.minuteSlots * 60 {
            let hour = Int64((time / 3_600).rounded(.down))
            return Self.sum(stamps: hourStamp, good: hourGood, total: hourTotal, last: hour, count: window.seconds / 3_600)
        }
        let minute = Int64((time / 60).rounded(.down))
        return Self.sum(stamps: minuteStamp, good: minuteGood, total: minuteTotal, last: minute, count: window.seconds / 60)
    }

    private static func sum(stamps: [Int64], good: [Double], total: [Double], last: Int64, count: Int) -> (good: Double, total: Double) {
        var goodSum = 0.0
        var totalSum = 0.0
        let slots = Int64(stamps.count)
        for stamp in (last - Int64(count) + 1)...last where stamp >= 0 {
            let slot = Int(stamp % slots)
            if stamps[slot] == stamp {
                goodSum += good[slot]
                totalSum += total[slot]
            }
        }
        return (goodSum, totalSum)
    }
}
