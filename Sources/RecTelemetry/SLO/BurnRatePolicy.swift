/// The multi-window, multi-burn-rate alerting method (Google SRE workbook, chapter 5): an alert needs a long window to
/// show enough budget burnt and a short one to show it is still burning.
public enum BurnRatePolicy {
    /// One alerting condition: both windows burning faster than `factor` times the sustainable rate.
    public struct Condition: Sendable, Equatable {
        /// The long window.
        public let long: SLOWindow
        /// The short window.
        public let short: SLOWindow
        /// The burn-rate factor both must exceed.
        public let factor: Double
    }

    /// Page: 2% of a 30-day budget in an hour, or 5% in six hours.
    public static let page = [
        Condition(long: .oneHour, short: .fiveMinutes, factor: 14.4),
        Condition(long: .sixHours, short: .thirtyMinutes, factor: 6),
    ]

    /// Ticket: 10% of the budget in a day, or 10% in three days.
    public static let ticket = [
        Condition(long: .oneDay, short: .twoHours, factor: 3),
        Condition(long: .threeDays, short: .sixHours, factor: 1),
    ]

    /// Whether any condition holds for `burnRates` (a window without events burns nothing).
    public static func fires(_ conditions: [Condition], burnRates: [SLOWindow: Double]) -> Bool {
        conditions.contains { condition in
            (burnRates[condition.long] ?? 0) > condition.factor && (burnRates[condition.short] ?? 0) > condition.factor
        }
    }
}
