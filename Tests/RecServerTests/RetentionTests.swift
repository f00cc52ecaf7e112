import Foundation
import Logging
import RecCore
@testable import RecServer
import RecStore
import RecTesting
import Testing

@Suite("Retention")
struct RetentionTests {
    @Test("a pruning round deletes every tenant's served lists past retention, batch after batch, and keeps the rest", arguments: TestStore.all)
    func servedLists(store: TestStore) async throws {
        try await TestApp(store).run { client, parts throws in
            let first = try await client.createTenant(), second = try await client.createTenant()
            let now = WallClock.nowMillis(), day: Int64 = 86_400_000
            func lists(_ tenantID: String, count: Int, at createdAt: Int64) -> [ServedList] {
                (0..<count).map { _ in
                    ServedList(id: "rec_\(UUID().uuidString)", tenantID: tenantID, kind: "recommendations", userID: "u", itemID: nil,
                               modelVersion: nil, source: "fallback", items: ["a"], createdAt: createdAt)
                }
            }
            // More old lists than one batch for the first tenant, a few for the second.
            let old = lists(first.id, count: RetentionPruner.servedBatch + 7, at: now - 8 * day) + lists(second.id, count: 3, at: now - 9 * day)
            let recent = lists(first.id, count: 2, at: now - 6 * day) + lists(second.id, count: 2, at: now)
            for chunk in stride(from: 0, to: old.count, by: 2_000) { try await parts.store.recordServedLists(Array(old[chunk..<min(chunk + 2_000, old.count)])) }
            try await parts.store.recordServedLists(recent)

            let pruner = RetentionPruner(store: parts.store, readiness: parts.readiness, servedRetentionMillis: 7 * day, logger: Logger(label: "test"))
            await pruner.prune()
            for list in [old.first!, old[RetentionPruner.servedBatch + 3], old.last!] {
                #expect(try await parts.store.servedList(tenantID: list.tenantID, id: list.id) == nil)
            }
            for list in recent {
                #expect(try await parts.store.servedList(tenantID: list.tenantID, id: list.id) != nil)
            }
            #expect(try await parts.store.pruneServedLists(tenantID: first.id, before: now - 7 * day, limit: 10) == 0, "nothing older is left")
        }
    }
}
