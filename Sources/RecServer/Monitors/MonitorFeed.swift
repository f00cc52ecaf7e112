import Synchronization

/// What serving tells the monitors per request, counted in memory until the next monitor cycle takes the counts.
final class MonitorFeed: Sendable {
    /// Requests since the last cycle for one tenant.
    struct Counts: Sendable {
        var recommendations = 0
        var unknownUsers = 0
        var similar = 0
        var unknownItems = 0
        /// Scores of the first item of recommendation lists (at most `scoreSample` a cycle).
        var scores: [Double] = []
    }

    /// Scores kept per tenant and cycle.
    static let scoreSample = 2_000

    private let counts = Mutex<[String: Counts]>([:])

    /// Counts a recommendation request; `known` when the serving model has the user; `topScore` of its first item.
    func recommendation(tenantID: String, known: Bool, topScore: Double?) {
        counts.withLock { counts in
            var entry = counts[tenantID] ?? Counts()
            entry.recommendations += 1
            if !known { entry.unknownUsers += 1 }
            if let topScore, entry.scores.count < Self.scoreSample { entry.scores.append(topScore) }
            counts[tenantID] = entry
        }
    }

    /// Counts a similar-items request; `known` when the serving model has the item.
    func similar(tenantID: String, known: Bool) {
        counts.withLock { counts in
            counts[tenantID, default: Counts()].similar += 1
            if !known { counts[tenantID, default: Counts()].unknownItems += 1 }
        }
    }

    /// Takes (and resets) every tenant's counts.
    func take() -> [String: Counts] {
        counts.withLock { counts in
            defer { counts = [:] }
            return counts
        }
    }
}
