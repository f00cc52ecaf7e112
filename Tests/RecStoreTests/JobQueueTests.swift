import Foundation
import Testing
import RecCore
import RecStore
import RecTesting

@Suite("Job queue")
struct JobQueueTests {
    static func job(kind: String, tenantID: String = "t_test") -> Job {
        Job(id: Identifier.random(prefix: "j"), tenantID: tenantID, kind: kind, status: .queued, params: [:], createdAt: WallClock.nowMillis())
    }

    @Test("concurrent workers never lease the same job twice", arguments: TestStore.all)
    func exclusiveLeases(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let kind = "test-\(UUID().uuidString.prefix(8))"
            let created = (0..<20).map { _ in Self.job(kind: kind) }
            for job in created { try await records.createJob(job, owner: nil) }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        var mine: [String] = []
                        while let job = try await records.claimJob(kind: kind, owner: "w\(worker)", now: WallClock.nowMillis(), leaseUntil: WallClock.nowMillis() + 60_000) {
                            mine.append(job.id)
                        }
                        return mine
                    }
                }
                var all: [String] = []
                for try await ids in group { all += ids }
                return all
            }
            #expect(claimed.count == 20)
            #expect(Set(claimed) == Set(created.map(\.id)))
        }
    }

    @Test("an expired lease is taken again; a job pinned to one owner is invisible to others", arguments: TestStore.all)
    func leaseExpiryAndOwnership(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let kind = "test-\(UUID().uuidString.prefix(8))"
            let job = Self.job(kind: kind)
            try await records.createJob(job, owner: "node-a")
            let now = WallClock.nowMillis()
            #expect(try await records.claimJob(kind: kind, owner: "node-b", now: now, leaseUntil: now + 1_000) == nil)
            let first = try await records.claimJob(kind: kind, owner: "node-a", now: now, leaseUntil: now + 1_000)
            #expect(first?.id == job.id)
            #expect(first?.status == .running)
            // Still leased: nobody gets it.
            #expect(try await records.claimJob(kind: kind, owner: "node-a", now: now + 500, leaseUntil: now + 1_500) == nil)
            // The worker died; after the lease runs out the owner takes it up again.
            let again = try await records.claimJob(kind: kind, owner: "node-a", now: now + 2_000, leaseUntil: now + 3_000)
            #expect(again?.id == job.id)
            try await records.finishJob(id: job.id, status: .succeeded, progress: 1, accepted: 3, rejected: 0, errors: [], message: nil, now: now + 2_500)
            #expect(try await records.claimJob(kind: kind, owner: "node-a", now: now + 9_000, leaseUntil: now + 10_000) == nil)
            #expect(try await records.job(tenantID: job.tenantID, id: job.id)?.status == .succeeded)
            #expect(try await records.job(tenantID: "t_other", id: job.id) == nil)
        }
    }

    @Test("a shared (training) job whose worker died is taken over by another replica, whose heartbeat then owns it", arguments: TestStore.all)
    func sharedLeaseTakeover(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let kind = "test-\(UUID().uuidString.prefix(8))"
            let job = Self.job(kind: kind)
            try await records.createJob(job, owner: nil)
            let now = WallClock.nowMillis()
            let first = try await records.claimJob(kind: kind, owner: "node-a", now: now, leaseUntil: now + 1_000, anyOwner: true)
            #expect(first?.attempts == 1)
            #expect(try await records.claimJob(kind: kind, owner: "node-b", now: now + 500, leaseUntil: now + 1_500, anyOwner: true) == nil)
            // node-a's heartbeat keeps it while the lease lasts.
            #expect(try await records.updateJobProgress(id: job.id, owner: "node-a", stage: "train", progress: 0.2, leaseUntil: now + 1_800) == false)
            // node-a dies; node-b takes the job once the lease ran out.
            let second = try await records.claimJob(kind: kind, owner: "node-b", now: now + 2_000, leaseUntil: now + 3_000, anyOwner: true)
            #expect(second?.id == job.id)
            #expect(second?.attempts == 2)
            #expect(second?.stage == "train")
            // node-a, come back, can no longer report or finish it.
            await #expect(throws: StoreError.leaseLost) {
                try await records.updateJobProgress(id: job.id, owner: "node-a", stage: "save", progress: 0.9, leaseUntil: now + 9_000)
            }
            #expect(try await records.finishLeasedJob(id: job.id, owner: "node-a", status: .succeeded, stage: "done", message: nil, result: [:], now: now + 2_100) == false)
            #expect(try await records.finishLeasedJob(id: job.id, owner: "node-b", status: .succeeded, stage: "done", message: nil, result: ["model_version": .string("v1")], now: now + 2_200))
            let finished = try await records.job(tenantID: job.tenantID, id: job.id)
            #expect(finished?.status == .succeeded)
            #expect(finished?.progress == 1)
            #expect(finished?.result["model_version"]?.stringValue == "v1")
        }
    }

    @Test("a version registers only with the job's lease: a worker that lost it writes nothing; a released job is queued again", arguments: TestStore.all)
    func registrationNeedsTheLease(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let kind = "test-\(UUID().uuidString.prefix(8))"
            let tenant = "t_\(UUID().uuidString.prefix(8))"
            let job = Self.job(kind: kind, tenantID: tenant)
            try await records.createJob(job, owner: nil)
            let now = WallClock.nowMillis()
            _ = try await records.claimJob(kind: kind, owner: "node-a", now: now, leaseUntil: now + 1_000, anyOwner: true)
            _ = try await records.claimJob(kind: kind, owner: "node-b", now: now + 2_000, leaseUntil: now + 60_000, anyOwner: true)
            func version(_ name: String, recall: Double) -> ModelVersion {
                ModelVersion(version: name, tenantID: tenant, kind: "ials", params: [:], metrics: ["recall@20": recall], jobID: job.id, checksum: "x",
                             artifactBytes: 1, users: 1, items: 1, interactions: 1, trainSeconds: 1, createdAt: now)
            }
            // node-a finished late: nothing of it lands.
            #expect(try await records.registerTrainedModel(version("a", recall: 0.5), jobID: job.id, owner: "node-a", policy: .always, metric: "recall@20", result: [:], now: now + 3_000) == nil)
            #expect(try await records.models(tenantID: tenant, limit: 10).isEmpty)
            #expect(try await records.servingVersion(tenantID: tenant) == nil)
            // node-b registers once, and as the first version it serves under if_better.
            #expect(try await records.registerTrainedModel(version("b", recall: 0.2), jobID: job.id, owner: "node-b", policy: .ifBetter, metric: "recall@20", result: [:], now: now + 3_000) == true)
            #expect(try await records.registerTrainedModel(version("b2", recall: 0.9), jobID: job.id, owner: "node-b", policy: .ifBetter, metric: "recall@20", result: [:], now: now + 3_100) == nil)
            #expect(try await records.models(tenantID: tenant, limit: 10).map(\.version) == ["b"])
            #expect(try await records.job(tenantID: tenant, id: job.id)?.result["promoted"] == .bool(true))
            // A worse version under if_better is registered but not served.
            let next = Self.job(kind: kind, tenantID: tenant)
            try await records.createJob(next, owner: nil)
            _ = try await records.claimJob(kind: kind, owner: "node-b", now: now + 4_000, leaseUntil: now + 60_000, anyOwner: true)
            #expect(try await records.registerTrainedModel(version("c", recall: 0.1), jobID: next.id, owner: "node-b", policy: .ifBetter, metric: "recall@20", result: [:], now: now + 5_000) == false)
            #expect(try await records.servingVersion(tenantID: tenant) == "b")
            // Released on shutdown: queued again, and another worker takes it at once.
            let third = Self.job(kind: kind, tenantID: tenant)
            try await records.createJob(third, owner: nil)
            _ = try await records.claimJob(kind: kind, owner: "node-a", now: now + 6_000, leaseUntil: now + 60_000, anyOwner: true)
            try await records.releaseJob(id: third.id, owner: "node-a")
            #expect(try await records.claimJob(kind: kind, owner: "node-b", now: now + 6_100, leaseUntil: now + 60_000, anyOwner: true)?.id == third.id)
        }
    }

    @Test("cancelling a queued job ends it at once; a running one is flagged for its next checkpoint", arguments: TestStore.all)
    func cancellation(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let kind = "test-\(UUID().uuidString.prefix(8))"
            let queued = Self.job(kind: kind)
            try await records.createJob(queued, owner: nil)
            #expect(try await records.cancelJob(tenantID: queued.tenantID, id: queued.id, now: WallClock.nowMillis())?.status == .cancelled)
            let running = Self.job(kind: kind)
            try await records.createJob(running, owner: "me")
            _ = try await records.claimJob(kind: kind, owner: "me", now: WallClock.nowMillis(), leaseUntil: WallClock.nowMillis() + 60_000)
            #expect(try await records.cancelJob(tenantID: running.tenantID, id: running.id, now: WallClock.nowMillis())?.status == .running)
            let chunk = RecordStore.ImportRows.users([User(userID: "u1")])
            let flagged = try await records.commitImportChunk(
                jobID: running.id, tenantID: running.tenantID, owner: "me", rows: chunk, checkpoint: 1, progress: 0.5, accepted: 1, rejected: 0,
                errors: [], leaseUntil: WallClock.nowMillis() + 60_000
            )
            #expect(flagged)
            // A worker that lost its lease cannot write a chunk.
            await #expect(throws: StoreError.leaseLost) {
                try await records.commitImportChunk(
                    jobID: running.id, tenantID: running.tenantID, owner: "someone-else", rows: chunk, checkpoint: 2, progress: 0.6,
                    accepted: 2, rejected: 0, errors: [], leaseUntil: WallClock.nowMillis() + 60_000
                )
            }
            #expect(try await records.jobCheckpoint(id: running.id) == 1)
        }
    }
}
