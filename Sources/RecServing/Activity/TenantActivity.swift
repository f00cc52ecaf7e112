import RecTelemetry
import Synchronization

/// A tenant's live interaction state held in memory: every user's recent history and item popularity, fed from the
/// interactions table by the interaction tail, so new events change the next recommendation without retraining.
/// Item ids are interned as dense numbers and each user keeps only their `historyCap` most recent interactions, so
/// what a replica holds grows with users and items, not with every event ever stored.
public final class TenantActivity: Sendable {
    /// One stored interaction row.
    public typealias Row = (id: Int64, userID: String, itemID: String, weight: Double, timestamp: Int64)

    private struct State {
        var users: [String: Int32] = [:]
        var histories: [UserHistory] = []
        var items: [String: Int32] = [:]
        var itemIDs: [String] = []
        var counts: [Double] = []
        var popular: [String] = []
        var popularStale = true
        var popularAt = ContinuousClock.now - .seconds(60)
        /// Whether a ranking task has claimed the next ranking (see `claimRanking`).
        var rankingClaimed = false
        var interactions = 0
        var bytes = 0
    }

    /// Estimated bytes of a user's entry beside its arrays (dictionary slot, id string, array headers).
    static let perUserBytes = 96
    /// Estimated bytes of an interned item (dictionary slot, id string, count).
    static let perItemBytes = 64

    private let state = Mutex(State())
    /// The most recent interactions kept per user.
    public let historyCap: Int
    private let metrics: RankingMetrics?

    /// Empty activity keeping `historyCap` interactions per user, reporting what it holds to `metrics`.
    public init(historyCap: Int, metrics: RankingMetrics?) {
        precondition(historyCap > 0, "the history cap must be positive")
        self.historyCap = historyCap
        self.metrics = metrics
    }

    deinit {
        let held = state.withLock { ($0.bytes, $0.interactions) }
        metrics?.historyChanged(bytes: -held.0, interactions: -held.1, trimmed: 0)
    }

    /// Applies new rows (the tail hands each row over once). Returns how many were applied.
    @discardableResult
    public func apply(_ rows: [Row]) -> Int {
        guard !rows.isEmpty else { return 0 }
        let cap = historyCap
        let change: (bytes: Int, interactions: Int, trimmed: Int) = state.withLock { state in
            let startBytes = state.bytes
            let startInteractions = state.interactions
            var trimmed = 0
            for row in rows {
                let item: Int32
                if let known = state.items[row.itemID] {
                    item = known
                } else {
                    item = Int32(state.itemIDs.count)
                    state.items[row.itemID] = item
                    state.itemIDs.append(row.itemID)
                    state.counts.append(0)
                    state.bytes += Self.perItemBytes + row.itemID.utf8.count
                }
                let user: Int32
                if let known = state.users[row.userID] {
                    user = known
                } else {
                    user = Int32(state.histories.count)
                    state.users[row.userID] = user
                    state.histories.append(UserHistory())
                    state.bytes += Self.perUserBytes + row.userID.utf8.count
                }
                let before = state.histories[Int(user)].bytes
                state.histories[Int(user)].items.append(item)
                state.histories[Int(user)].weights.append(Float(row.weight))
                state.histories[Int(user)].lastID = max(state.histories[Int(user)].lastID, row.id)
                state.interactions += 1
                let excess = state.histories[Int(user)].items.count - cap
                if excess > 0 {
                    state.histories[Int(user)].items.removeFirst(excess)
                    state.histories[Int(user)].weights.removeFirst(excess)
                    state.interactions -= excess
                    trimmed += excess
                }
                state.bytes += state.histories[Int(user)].bytes - before
                if row.weight > 0 { state.counts[Int(item)] += 1 }
            }
            state.popularStale = true
            return (state.bytes - startBytes, state.interactions - startInteractions, trimmed)
        }
        metrics?.historyChanged(bytes: change.bytes, interactions: change.interactions, trimmed: change.trimmed)
        return rows.count
    }

    /// A user's history (empty when unknown).
    public func history(of userID: String) -> UserHistory {
        state.withLock { state in state.users[userID].map { state.histories[Int($0)] } } ?? UserHistory()
    }

    /// The item ids of `items` (numbers from a history of this activity).
    public func itemIDs(_ items: [Int32]) -> [String] {
        state.withLock { state in items.map { state.itemIDs[Int($0)] } }
    }

    /// The distinct item ids a user interacted with (within the cap): what `exclude_seen` leaves out.
    public func seen(by userID: String) -> Set<String> {
        state.withLock { state in
            guard let user = state.users[userID] else { return [] }
            var seen = Set<String>(minimumCapacity: state.histories[Int(user)].items.count)
            for item in state.histories[Int(user)].items { seen.insert(state.itemIDs[Int(item)]) }
            return seen
        }
    }

    /// Item ids by descending interaction count (ties by id), as `rankPopularIfDue` last ranked them (never sorted
    /// here: this is on the request path).
    public func popular() -> [String] {
        state.withLock { $0.popular }
    }

    /// Ranks the items for `popular()` again when interactions changed the counts and the last ranking is a second old
    /// or more: a sort of every item's count, so never on the request path. Returns how long until a ranking is due
    /// when the counts changed within the second (nil otherwise).
    @discardableResult
    public func rankPopularIfDue() -> Duration? {
        let now = ContinuousClock.now
        let due: (counts: [Double], ids: [String])?
        let wait: Duration?
        (due, wait) = state.withLock { state in
            guard state.popularStale else { return (nil, nil) }
            let wait = state.popularAt + .seconds(1) - now
            return wait > .zero ? (nil, wait) : ((state.counts, state.itemIDs), nil)
        }
        guard let due else { return wait }
        let ranked = due.counts.indices.filter { due.counts[$0] > 0 }
            .sorted { due.counts[$0] != due.counts[$1] ? due.counts[$0] > due.counts[$1] : due.ids[$0] < due.ids[$1] }
            .map { due.ids[$0] }
        state.withLock { state in
            state.popular = ranked
            state.popularStale = false
            state.popularAt = now
        }
        return nil
    }

    /// Claims the next ranking for one task (which then calls `rankClaimed` until it returns nil): false when the
    /// counts have not changed or a task has it already.
    public func claimRanking() -> Bool {
        state.withLock { state in
            guard state.popularStale, !state.rankingClaimed else { return false }
            state.rankingClaimed = true
            return true
        }
    }

    /// For the task holding the claim: ranks if due and gives the claim up (nil), or returns how long to wait first.
    public func rankClaimed() -> Duration? {
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
    public func count(of item: String) -> Double {
        state.withLock { state in state.items[item].map { state.counts[Int($0)] } ?? 0 }
    }

    /// Users, interactions and estimated bytes held.
    public var size: (users: Int, interactions: Int, bytes: Int) {
        state.withLock { ($0.histories.count, $0.interactions, $0.bytes) }
    }
}
