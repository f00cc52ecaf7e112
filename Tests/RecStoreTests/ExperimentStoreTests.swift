import Foundation
import RecCore
import RecStore
import RecTesting
import Testing

/// Experiments in the store: one running per tenant, an end decided once (with its promotion in the same
/// transaction), outcomes written once, and the per-user sums the statistics read.
@Suite("Experiment store")
struct ExperimentStoreTests {
    static func tenant(_ records: RecordStore) async throws -> String {
        let id = "t_\(UUID().uuidString.prefix(8))"
        let key = APIKeyRecord(id: Identifier.random(prefix: "k"), tenantID: id, prefix: Identifier.random(prefix: "p"), hash: [1], scopes: [.manage],
                               name: nil, createdAt: 1, revokedAt: nil)
        try await records.createTenant(Tenant(id: id, name: "shop-\(id)", status: .active, createdAt: 1), firstKey: key)
        return id
    }

    static func rollout(_ tenantID: String) -> ExperimentRecord {
        ExperimentRecord(
            id: Identifier.random(prefix: "ro"), tenantID: tenantID, kind: .rollout, name: "canary", status: .running, salt: "s",
            variants: [ExperimentVariant(name: "baseline", modelVersion: "v1", traffic: 90), ExperimentVariant(name: "candidate", modelVersion: "v2", traffic: 10)],
            settings: ExperimentSettings(primaryMetric: "hit_rate", alpha: 0.05, conversionType: "purchase", minLists: 10, maxLists: 100, margin: 0.05),
            createdAt: 1_000
        )
    }

    @Test("a second running experiment is refused; of two replicas ending one, one does, and its promotion lands with it", arguments: TestStore.all)
    func endOnce(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let tenantID = try await Self.tenant(records)
            let rollout = Self.rollout(tenantID)
            try await records.createExperiment(rollout)
            await #expect(throws: StoreError.experimentAlreadyRunning) { try await records.createExperiment(Self.rollout(tenantID)) }
            #expect(try await records.runningExperiment(tenantID: tenantID)?.id == rollout.id)
            #expect(try await records.experiment(tenantID: tenantID, id: rollout.id) == rollout)
            #expect(try await records.experiment(tenantID: "t_other", id: rollout.id) == nil)

            try await records.promote(tenantID: tenantID, version: "v1", action: "promote", now: 1_000)
            let decision: JSONValue = .object(["reason": .string("not inferior")])
            let ends = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await records.endExperiment(tenantID: tenantID, id: rollout.id, status: .promoted, decision: decision, promote: "v2", now: 2_000) }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(ends.filter { $0 }.count == 1 && ends.count == 2)
            #expect(try await records.servingVersion(tenantID: tenantID) == "v2")
            #expect(try await records.versionBefore(tenantID: tenantID, version: "v2") == "v1")
            let ended = try #require(try await records.experiment(tenantID: tenantID, id: rollout.id))
            #expect(ended.status == .promoted && ended.endedAt == 2_000 && ended.decision == decision)
            #expect(try await records.runningExperiment(tenantID: tenantID) == nil)
            #expect(try await records.rolloutsEnded(since: 1_999).contains { $0.id == rollout.id })
            // Ended, so another may start.
            try await records.createExperiment(Self.rollout(tenantID))
        }
    }

    @Test("outcomes are written once per list; totals are per-user sums per arm, and count exposure before evaluation", arguments: TestStore.all)
    func totals(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let tenantID = try await Self.tenant(records)
            let rollout = Self.rollout(tenantID)
            try await records.createExperiment(rollout)
            func list(_ user: String, _ variant: String) -> ServedList {
                ServedList(id: "rec_\(UUID().uuidString)", tenantID: tenantID, kind: "recommendations", userID: user, itemID: nil, modelVersion: "v",
                           source: "model", items: ["a"], createdAt: 5, experimentID: rollout.id, variant: variant)
            }
            // Baseline: u1 has two lists (one hit), u2 one (a hit, converted). Candidate: u3 one list, not yet evaluated.
            let lists = [list("u1", "baseline"), list("u1", "baseline"), list("u2", "baseline"), list("u3", "candidate")]
            try await records.recordServedLists(lists)
            try await records.recordListOutcomes(tenantID: tenantID, [
                ListOutcome(id: lists[0].id, hit: true, ndcg: 0.5, converted: false),
                ListOutcome(id: lists[1].id, hit: false, ndcg: 0, converted: false),
                ListOutcome(id: lists[2].id, hit: true, ndcg: 1, converted: true),
            ], now: 10)
            // A second replica's view of the same list changes nothing.
            try await records.recordListOutcomes(tenantID: tenantID, [ListOutcome(id: lists[1].id, hit: true, ndcg: 1, converted: true)], now: 11)
            let totals = try await records.experimentTotals(tenantID: tenantID, id: rollout.id)
            let baseline = try #require(totals["baseline"])
            #expect(baseline.users == 2 && baseline.lists == 3 && baseline.evaluatedLists == 3)
            // Per user (x = hits, y = lists): u1 (1, 2), u2 (1, 1).
            #expect(baseline.hitRate == RatioMoments(users: 2, sumX: 2, sumY: 3, sumX2: 2, sumY2: 5, sumXY: 3))
            #expect(baseline.ndcg.sumX == 1.5 && baseline.ndcg.sumX2 == 1.25 && baseline.ndcg.sumXY == 2)
            #expect(baseline.conversion.sumX == 1)
            let candidate = try #require(totals["candidate"])
            #expect(candidate.users == 1 && candidate.lists == 1 && candidate.evaluatedLists == 0 && candidate.hitRate.users == 0)
        }
    }
}
