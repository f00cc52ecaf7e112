import Synchronization

/// What serving tells the monitors per request, counted in memory until the next monitor cycle takes the counts.
public final class MonitorFeed: Sendable {
    /// Requests since the last cycle for one tenant.
    public struct Counts: Sendable {
        /// Recommendation requests.
        public var recommendations = 0
        /// Recommendation requests for users the serving model does not know.
        public var unknownUsers = 0
        /// Similar-items requests.
        public var similar = 0
        /// Similar-items requests for items the serving model does not know.
        public var unknownItems = 0
        /// Scores of the first item of recommendation lists (at most `scoreSample` a cycle).
        public var scores: [Double] = []

        /// No requests yet.
        public init() {}
    }

    /// Scores kept per tenant and cycle.
    public static let scoreSample = 2_000

    /// An empty feed.
    public init() {}

    private let counts = Mutex<[String: Counts]>([:])

    /// Counts a recommendation request; `known` when the serving model has the user; `topScore` of its first item.
    public func recommendation(tenantID: String, known: Bool, topScore: Double?) {
        counts.withLock { counts in
            var entry = counts[tenantID] ?? Counts()
            entry.recommendations += 1
            if !known { entry.unknownUsers += 1 }
            if let topScore, entry.scores.count < Self.scoreSample { entry.scores.append(topScore) }
            counts[tenantID] = entry
        }
    }

    /// Counts a similar-items request; `known` when the serving model has the item.
    public func similar(tenantID: String, known: Bool) {
        counts.withLock { counts in
            counts[tenantID, default: Counts()].similar += 1
            if !known { counts[tenantID, default: Counts()].unknownItems += 1 }
        }
    }

    /// Takes (and resets) every tenant's counts.
    public func take() -> [String: Counts] {
        counts.withLock { counts in
            defer { counts = [:] }
            return counts
        }
    }
}
