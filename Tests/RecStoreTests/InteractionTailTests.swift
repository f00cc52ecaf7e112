import Foundation
import RecCore
@testable import RecStore
import RecTesting
import Synchronization
import Testing

@Suite("Interaction tail: every row once, whatever order ids commit in")
struct InteractionTailTests {
    static func event(_ user: String, _ item: String) -> Interaction {
        Interaction(userID: user, itemID: item, type: "view", weight: 1, timestamp: 1_700_000_000_000)
    }

    /// Opens a transaction that inserts `events` and then waits for `release` before committing; returns once the rows
    /// are inserted (not committed), with the task that commits.
    static func heldTransaction(_ records: RecordStore, tenant: String, _ events: [Interaction], release: Gate) async throws -> Task<Void, any Error> {
        let inserted = Gate()
        let task = Task {
            try await records.database.transaction { db in
                try await RecordStore.insertInteractionRows(tenantID: tenant, events, now: 1, into: db)
                inserted.open()
                await release.wait()
            }
        }
        await inserted.wait()
        return task
    }

    @Test("rows handed over once, in id order on SQLite and across reads", arguments: TestStore.all)
    func inOrder(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let tenant = "t_\(UUID().uuidString.prefix(8))"
            let tail = InteractionTail(store: records, tenantID: tenant)
            #expect(try await tail.next().isEmpty)
            try await records.database.transaction { db in
                try await RecordStore.insertInteractionRows(tenantID: tenant, (0..<5).map { Self.event("u\($0)", "i\($0)") }, now: 1, into: db)
            }
            let first = try await tail.next()
            #expect(first.map(\.userID) == ["u0", "u1", "u2", "u3", "u4"])
            #expect(try await tail.next().isEmpty, "nothing twice")
            #expect(tail.highestID == first.last?.id)
            // Another tenant's rows never show.
            try await records.database.transaction { db in
                try await RecordStore.insertInteractionRows(tenantID: tenant + "x", [Self.event("v", "j")], now: 1, into: db)
            }
            #expect(try await tail.next().isEmpty)
        }
    }

    @Test("PostgreSQL: two transactions, the larger id committing first, both reach the tail once")
    func largerIDCommitsFirst() async throws {
        guard TestStore.all.contains(.postgres) else { return }
        try await TestStore.postgres.withRecordStore { records throws in
            let tenant = "t_\(UUID().uuidString.prefix(8))"
            let tail = InteractionTail(store: records, tenantID: tenant)
            let release = Gate()
            let early = try await Self.heldTransaction(records, tenant: tenant, [Self.event("early", "a")], release: release)
            try await records.database.transaction { db in
                try await RecordStore.insertInteractionRows(tenantID: tenant, [Self.event("late", "b")], now: 1, into: db)
            }
            let seen = try await tail.next()
            #expect(seen.map(\.userID) == ["late"], "only the committed row")
            #expect(tail.pendingTransactions >= 1, "the open transaction behind the position is remembered")
            release.open()
            try await early.value
            let next = try await tail.next()
            #expect(next.map(\.userID) == ["early"], "the smaller id, committed later, still arrives")
            #expect(next.first!.id < seen.first!.id)
            // (Other tests' transactions on the shared database may still be pending: the horizon is database-wide.)
            #expect(try await tail.next().isEmpty, "and only once")
        }
    }

    @Test("PostgreSQL: a 20,000-row import chunk committing after a single event: all 20,001 rows arrive once")
    func importChunkRacesEvent() async throws {
        guard TestStore.all.contains(.postgres) else { return }
        try await TestStore.postgres.withRecordStore { records throws in
            let tenant = "t_\(UUID().uuidString.prefix(8))"
            let tail = InteractionTail(store: records, tenantID: tenant)
            let release = Gate()
            let chunk = (0..<20_000).map { Self.event("chunk\($0 % 500)", "i\($0)") }
            let importing = try await Self.heldTransaction(records, tenant: tenant, chunk, release: release)
            try await records.database.transaction { db in
                try await RecordStore.insertInteractionRows(tenantID: tenant, [Self.event("single", "s")], now: 1, into: db)
            }
            var ids = Set<Int64>()
            var count = 0
            count += try await tail.drain { page in for row in page { ids.insert(row.id) } }
            #expect(count == 1)
            release.open()
            try await importing.value
            // A second reader of the same stream (the monitors, the training snapshot) starting now sees everything too.
            let fresh = InteractionTail(store: records, tenantID: tenant)
            count += try await tail.drain { page in for row in page { ids.insert(row.id) } }
            #expect(count == 20_001, "every row handed over")
            #expect(ids.count == 20_001, "none twice")
            var freshCount = 0
            try await fresh.drain { freshCount += $0.count }
            #expect(freshCount == 20_001)
            #expect(try await tail.next().isEmpty)
        }
    }
}

/// A one-shot signal tests wait on.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// Lets every waiter (and every later one) through.
    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the gate is open.
    func wait() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}
