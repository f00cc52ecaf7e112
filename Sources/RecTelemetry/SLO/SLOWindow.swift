/// A window an SLI is measured over: the multi-window, multi-burn-rate method's six, the 5-minute short window and the
/// 30-day compliance window.
public enum SLOWindow: String, CaseIterable, Sendable, Comparable {
    case fiveMinutes = "5m"
    case thirtyMinutes = "30m"
    case oneHour = "1h"
    case twoHours = "2h"
    case sixHours = "6h"
    case oneDay = "1d"
    case threeDays = "3d"
    case thirtyDays = "30d"

    /// The window's length in seconds.
    public var seconds: Int {
        switch self {
        case .fiveMinutes: 300
        case .thirtyMinutes: 1_800
        case .oneHour: 3_600
        case .twoHours: 7_200
        case .sixHours: 21_600
        case .oneDay: 86_400
        case .threeDays: 259_200
        case .thirtyDays: 2_592_000
        }
    }

    /// Orders windows by length.
    public static func < (lhs: SLOWindow, rhs: SLOWindow) -> Bool {
        lhs.seconds < rhs.seconds
    }
}
