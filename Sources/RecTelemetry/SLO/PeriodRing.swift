/// Sums (several at once, as a SIMD vector) per period (a minute, an hour) over the last `slots` periods in fixed memory: a ring whose slots are stamped
/// with the period they hold, so a slot left from an older lap reads as empty.
public struct PeriodRing<Value: SIMD & Sendable>: Sendable where Value.Scalar: FloatingPoint {
    private var stamps: [Int64]
    private var values: [Value]

    /// A ring of `slots` periods, all empty.
    public init(slots: Int) {
        stamps = [Int64](repeating: -1, count: slots)
        values = [Value](repeating: Value(), count: slots)
    }

    /// Adds `value` to period `period` (periods since the epoch), starting the slot afresh if it held an older one.
    public mutating func add(_ value: Value, period: Int64) {
        let slot = Int(period % Int64(stamps.count))
        if stamps[slot] != period {
            stamps[slot] = period
            values[slot] = Value()
        }
        values[slot] += value
    }

    /// The sum over the `count` periods ending with `last` (at most the ring's length).
    public func sum(last: Int64, count: Int) -> Value {
        var total = Value()
        for period in (last - Int64(count) + 1)...last where period >= 0 {
            let slot = Int(period % Int64(stamps.count))
            if stamps[slot] == period { total += values[slot] }
        }
        return total
    }
}
