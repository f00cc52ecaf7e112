import Synchronization

/// A tenant's live interaction state held in memory: every user's history and item popularity, fed from the
/// interactions table (tailed by id) so new events change the next recommendation without retraining.
final class TenantActivity: Sendable {
    /// One stored interaction row.
    typealias Row = (id: Int64, userID: String, itemID: String, weight: Double, timestamp: Int64)

    private struct State {
        var histories: [String: UserHistory] = [:]
        var counts: [String: Double] = [:]
        var popular: [String] = []
        var popularStale = true
        var popularAt = ContinuousClock.now - .seconds(60)
        /// Whether a ranking task has claimed the next ranking (see `claimRanking`).
        var rankingClaimed = false
        /// Ids applied within the re-read window (PostgreSQL commits ids out of order; see `apply`).
        var recent: Set<Int64> = []
        var lastID: Int64 = 0
    }

    private let state = Mutex(State())
    /// How far behind the last id each tail re-reads (0 on SQLite, whose ids commit in order).
    let rereadWindow: Int64

    init(rereadWindow: Int64) {
        self.rereadWindow = rereadWindow
    }

    /// The id the next tail starts after.
    var tailStart: Int64 {
        state.withLock { max(0, $0.lastID - rereadWindow) }
    }

    /// Applies rows (in id order), skipping those already applied. Returns how many were new.
    @discardableResult
    func apply(_ rows: [Row]) -> Int {
        guard !rows.isEmpty else { return 0 }
        return state.withLock { state in
            var added = 0
            for row in rows {
                if row.id <= state.lastID - rereadWindow { continue }
                if rereadWindow > 0 {
                    guard state.recent.insert(row.id).inserted else { continue }
                } else if row.id <= state.lastID {
                    continue
                }
                var history = state.histories[row.userID] ?? UserHistory()
                history.items.append(row.itemID)
                history.weights.append(Float(row.weight))
                history.lastID = max(history.lastID, row.id)
                state.histories[row.userID] = history
                if row.weight > 0 { state.counts[row.itemID, default: 0] += 1 }
                state.lastID = max(state.lastID, row.id)
                added += 1
            }
            if rereadWindow > 0, state.recent.count > Int(rereadWindow) * 4 {
                let floor = state.lastID - rereadWindow
                state.recent = state.recent.filter { $0 > floor }
            }
            if added > 0 { state.popularStale = true }
            return added
        }
    }

    /// A user's history (empty when unknown).
    func history(of userID: String) -> UserHistory {
        state.withLock { $0.histories[userID] } ?? UserHistory()
    }

    /// Item ids by descending interaction count (ties by id), as `rankPopularIfDue` last ranked them (never sorted
    /// here: this is on the request path).
    func popular() -> [String] {
        state.withLock { $0.popular }
    }

    /// Ranks the items for `popular()` again when interactions changed the counts and the last ranking is a second old
    /// or more: a sort of every item's count, so never on the request path. Returns how long until a ranking is due
    /// when the counts changed within the second (nil otherwise).
    @discardableResult
    func rankPopularIfDue() -> Duration? {
        let now = ContinuousClock.now
        let due: (counts: [String: Double]?, wait: Duration?) = state.withLock { state in
            guard state.popularStale else { return (nil, nil) }
            let wait = state.popularAt + .seconds(1) - now
            return wait > .zero ? (nil, wait) : (state.counts, nil)
        }
        guard let counts = due.counts else { return due.wait }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        state.withLock { state in
            state.popular = ranked
            state.popularStale = false
            state.popularAt = now
        }
        return nil
    }

    /// Claims the next ranking for one task (which then calls `rankClaimed` until it returns nil): false when the
    /// counts have not changed or a task has it already.
    func claimRanking() -> Bool {
        state.withLock { state in
            guard state.popularStale, !state.rankingClaimed else { return false }
            state.rankingClaimed = true
            return true
        }
    }

    /// For the task holding the claim: ranks if due and gives the claim up (nil), or returns how long to wait first.
    func rankClaimed() -> Duration? {
        if let wait = rankPopularIfDue() { return wait }
        // Ranked, or already current: give the claim up, unless counts changed again meanwhile (then keep it and go on).
        return state.withLock { state in
            guard state.popularStale else {
                state.rankingClaimed = false
                return nil
            }
            return max(.milliseconds(1), state.popularAt + .seconds(1) - ContinuousClock.now)
        }
    }

    /// How often `item` was interacted with.
    func count(of item: String) -> Double {
        state.withLock { $0.counts[item] ?? 0 }
    }

    /// Users and interactions held.
    var size: (users: Int, interactions: Int) {
        state.withLock { state in (state.histories.count, state.histories.values.reduce(0) { $0 + $1.items.count }) }
    }
}
