import RecCore
import Synchronization

/// Reads one tenant's interactions as they commit, handing each row over exactly once, for every reader that follows
/// the stream: serving's histories, the model monitors and the training snapshot. One page size, one rule for rows
/// that commit out of id order.
///
/// On SQLite one writer commits ids in order, so the tail follows ids. On PostgreSQL ids are taken at insert and
/// commit later, in any order (a 20,000-row import chunk can commit after a single event with a larger id), so the
/// tail follows the inserting transaction instead: each row records its transaction id (`commit_xid`), pages are
/// read in (transaction, id) order, and every statement also returns its snapshot. A transaction the snapshot shows
/// in progress may commit rows behind the tail's position later; the tail remembers it, and once a later snapshot
/// shows it finished, reads that transaction's rows again and hands over the ones not seen yet. Nothing is re-read
/// while no writer is in flight.
///
/// Callers may share a tail: `drain` serialises them (each row still goes to exactly one of them).
public final class InteractionTail: Sendable {
    /// Rows read per query: the one page size every reader of the stream uses.
    public static let pageSize = 20_000

    private struct State {
        /// SQLite: the last id handed over. PostgreSQL: the (transaction, id) position of the last row read.
        var lastID: Int64
        var lastXid: UInt64 = 0
        /// PostgreSQL: transactions seen in progress behind the position (their rows are read once they finish).
        var pending: Set<UInt64> = []
        /// The largest id handed over.
        var highestID: Int64
    }

    private let store: RecordStore
    /// The tenant followed.
    public let tenantID: String
    /// Rows with an id at or below this are never read (a reader that starts part-way, like the monitors).
    public let floorID: Int64
    private let state: Mutex<State>
    private let reading = AsyncLock()

    /// A tail of `tenantID`'s interactions with ids above `afterID` (0: from the first).
    public init(store: RecordStore, tenantID: String, afterID: Int64 = 0) {
        self.store = store
        self.tenantID = tenantID
        floorID = afterID
        state = Mutex(State(lastID: afterID, highestID: afterID))
    }

    /// The largest id handed over so far (the floor before any).
    public var highestID: Int64 { state.withLock { $0.highestID } }

    /// Transactions that were in progress when last read and not yet re-read (always 0 on SQLite).
    public var pendingTransactions: Int { state.withLock { $0.pending.count } }

    /// The next rows not handed over yet: a page of at most `pageSize` in order, after any rows of transactions that
    /// committed late (empty when caught up). Call until it returns fewer than `pageSize`.
    /// Not serialised: one reader at a time (`drain` serialises its callers).
    public func next() async throws -> [TailedInteraction] {
        switch store.database.dialect {
        case .sqlite: try await nextInIDOrder()
        case .postgres: try await nextInCommitOrder()
        }
    }

    /// Reads until caught up, handing each page to `body`, one caller at a time (a caller arriving meanwhile waits,
    /// then reads what committed since); returns how many rows were handed over.
    @discardableResult
    public func drain(_ body: ([TailedInteraction]) throws -> Void) async throws -> Int {
        try await reading.withLock {
            var total = 0
            while true {
                let page = try await next()
                if !page.isEmpty { try body(page) }
                total += page.count
                if page.count < Self.pageSize { return total }
            }
        }
    }

    private func nextInIDOrder() async throws -> [TailedInteraction] {
        let after = state.withLock { $0.lastID }
        let rows = try await store.tailPage(tenantID: tenantID, afterID: after, limit: Self.pageSize)
        if let last = rows.last {
            state.withLock { state in
                state.lastID = last.id
                state.highestID = max(state.highestID, last.id)
            }
        }
        return rows
    }

    private func nextInCommitOrder() async throws -> [TailedInteraction] {
        let (xid, id, pending) = state.withLock { ($0.lastXid, $0.lastID, $0.pending) }
        let page = try await store.tailPageInCommitOrder(
            tenantID: tenantID, floorID: floorID, afterXid: xid, afterID: id, limit: Self.pageSize
        )
        // Transactions seen in progress earlier that this snapshot shows finished: their rows are all visible now.
        let finished = pending.filter { !page.snapshot.mayCommitLater($0) }.sorted()
        let late = finished.isEmpty ? [] : try await store.tailTransactions(tenantID: tenantID, floorID: floorID, xids: finished)
        return state.withLock { state in
            // A pending transaction is behind the position and was invisible until it finished: none of its rows
            // was handed over before, and none is in this page (which is ahead of the position).
            var out = late
            out.append(contentsOf: page.rows.map(\.row))
            state.pending.subtract(finished)
            if let last = page.rows.last {
                state.lastXid = last.xid
                state.lastID = last.row.id
            }
            // Transactions in flight below the position just reached may commit rows behind it later: remember them.
            for xid in page.snapshot.inProgress where xid < state.lastXid { state.pending.insert(xid) }
            for row in out { state.highestID = max(state.highestID, row.id) }
            return out
        }
    }
}
