import Foundation
import Testing
import RecCore
@testable import RecServer
import RecStore
import RecTelemetry
import RecTesting

@Suite("Import resumption")
struct ImportResumeTests {
    @Test("an import taken up again after a crash continues after its last committed chunk, without duplicates", arguments: TestStore.all)
    func resumesAfterCheckpoint(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let directory = try TestStore.temporaryDirectory()
            let path = (directory as NSString).appendingPathComponent("upload.csv")
            let csv = "user_id,item_id,interaction_type\n" + (1...10).map { "u\($0),i\($0),view" }.joined(separator: "\n") + "\n"
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
            let tenant = Tenant(id: "t_\(UUID().uuidString.prefix(8))", name: "resume-\(UUID().uuidString.prefix(8))", status: .active, createdAt: 1)
            try await records.createTenant(tenant, firstKey: APIKeyCodec.issue(tenantID: tenant.id, scopes: [.ingest], name: nil, now: 1).record)
            let job = Job(
                id: Identifier.random(prefix: "j"), tenantID: tenant.id, kind: "import", status: .queued,
                params: ["type": "interactions", "format": "csv", "bytes": .number(Double(csv.utf8.count)), "spool_path": .string(path)], createdAt: 1
            )
            let owner = "node-\(UUID().uuidString.prefix(8))"
            try await records.createJob(job, owner: owner)
            let now = WallClock.nowMillis()
            _ = try #require(try await records.claimJob(kind: "import", owner: owner, now: now, leaseUntil: now + 1))
            // The first run committed records 1–4, then the process died.
            let firstFour = (1...4).map { Interaction(userID: "u\($0)", itemID: "i\($0)", type: "view", weight: 1, timestamp: 1) }
            _ = try await records.commitImportChunk(
                jobID: job.id, tenantID: tenant.id, owner: owner, rows: .interactions(firstFour), checkpoint: 4, progress: 0.4,
                accepted: 4, rejected: 0, errors: [], leaseUntil: now + 1
            )
            // After the lease expired the owner takes the job up again and runs it to the end.
            let resumed = try #require(try await records.claimJob(kind: "import", owner: owner, now: now + 10, leaseUntil: now + 60_000))
            #expect(resumed.accepted == 4)
            let thread = WorkerThread(name: "test-imports")
            defer { thread.stop() }
            let outcome = await ImportRunner(store: records, telemetry: Telemetry(), job: resumed, owner: owner, thread: thread).run()
            #expect(outcome.status == .succeeded)
            #expect(outcome.accepted == 10)
            #expect(try await records.interactionCount(tenantID: tenant.id) == 10)
        }
    }
}
