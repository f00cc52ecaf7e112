import Foundation
import Testing
import RecCore
import RecStore
import RecTesting

@Suite("Store error codes")
struct StoreErrorTests {
    /// The code of the `StoreError` `body` throws, nil when it throws nothing or something else.
    static func code<T>(_ body: () async throws -> T) async -> StoreError.Code? {
        do {
            _ = try await body()
            return nil
        } catch let error as StoreError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test("a worker whose lease was taken over gets leaseLost from its heartbeat and its import chunk", arguments: TestStore.all)
    func leaseLost(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let kind = "test-\(UUID().uuidString.prefix(8))"
            let job = Job(id: Identifier.random(prefix: "j"), tenantID: "t_\(UUID().uuidString.prefix(8))", kind: kind, status: .queued, params: [:], createdAt: 1)
            try await records.createJob(job, owner: nil)
            let now = WallClock.nowMillis()
            _ = try await records.claimJob(kind: kind, owner: "node-a", now: now, leaseUntil: now + 1_000, anyOwner: true)
            _ = try await records.claimJob(kind: kind, owner: "node-b", now: now + 2_000, leaseUntil: now + 60_000, anyOwner: true)
            let heartbeat = await Self.code {
                try await records.updateJobProgress(id: job.id, owner: "node-a", stage: "train", progress: 0.5, leaseUntil: now + 9_000)
            }
            #expect(heartbeat == .leaseLost)
            let chunk = await Self.code {
                try await records.commitImportChunk(
                    jobID: job.id, tenantID: job.tenantID, owner: "node-a", rows: .users([User(userID: "u1")]), checkpoint: 1,
                    progress: 0.5, accepted: 1, rejected: 0, errors: [], leaseUntil: now + 9_000
                )
            }
            #expect(chunk == .leaseLost)
            // The owner's heartbeat is no error at all.
            #expect(try await records.updateJobProgress(id: job.id, owner: "node-b", stage: "train", progress: 0.5, leaseUntil: now + 9_000) == false)
            #expect(try await records.user(tenantID: job.tenantID, userID: "u1") == nil, "the lost chunk wrote nothing")
        }
    }

    @Test("rollback says why it refuses: not the serving version, nothing served before, the history changed", arguments: TestStore.all)
    func rollbackConflicts(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let tenant = "t_\(UUID().uuidString.prefix(8))"
            try await records.promote(tenantID: tenant, version: "v1", action: "promote", now: 1)
            try await records.promote(tenantID: tenant, version: "v2", action: "promote", now: 2)
            let notServing = await Self.code { try await records.rollback(tenantID: tenant, version: "v1", expected: "v0", now: 3) }
            #expect(notServing == .notServing)
            let changed = await Self.code { try await records.rollback(tenantID: tenant, version: "v2", expected: "v9", now: 3) }
            #expect(changed == .servingHistoryChanged)
            #expect(try await records.servingVersion(tenantID: tenant) == "v2", "a refused rollback changes nothing")
            #expect(try await records.rollback(tenantID: tenant, version: "v2", expected: "v1", now: 4) == "v1")
            let first = await Self.code { try await records.rollback(tenantID: tenant, version: "v1", expected: "v0", now: 5) }
            #expect(first == .nothingServedBefore)
            do {
                _ = try await records.rollback(tenantID: tenant, version: "v2", expected: "v1", now: 6)
                Issue.record("rolling back a version that is not served must fail")
            } catch let error as StoreError {
                #expect(error == .notServing)
                #expect(error.message == "v2 is not the serving version (v1 is)")
                #expect(error.shortDescription == "not_serving")
            }
        }
    }

    @Test("a second tenant with a taken name is nameTaken, and nothing of it is written", arguments: TestStore.all)
    func tenantNameTaken(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let name = "shop-\(UUID().uuidString.prefix(8))"
            func tenant(_ id: String) -> Tenant { Tenant(id: id, name: name, status: .active, createdAt: 1) }
            func key(_ tenantID: String) -> APIKeyRecord {
                APIKeyRecord(id: Identifier.random(prefix: "k"), tenantID: tenantID, prefix: Identifier.random(prefix: "p"), hash: [1, 2, 3],
                             scopes: [.ingest], name: nil, createdAt: 1, revokedAt: nil)
            }
            let first = "t_\(UUID().uuidString.prefix(8))", second = "t_\(UUID().uuidString.prefix(8))"
            try await records.createTenant(tenant(first), firstKey: key(first))
            let taken = await Self.code { try await records.createTenant(tenant(second), firstKey: key(second)) }
            #expect(taken == .nameTaken)
            #expect(try await records.tenants().filter { $0.name == name }.map(\.id) == [first])
        }
    }

    @Test("verified reads tell a missing artifact from a corrupt one, in the folder and in the database", arguments: TestStore.all)
    func artifactMissingOrCorrupt(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let stores: [any ArtifactStore] = [FolderArtifactStore(root: try TestStore.temporaryDirectory()), DatabaseArtifactStore(store: records)]
            for artifacts in stores {
                let tenant = "t_\(UUID().uuidString.prefix(8))"
                let bytes: [UInt8] = Array("model bytes".utf8)
                let checksum = ArtifactChecksum.of(bytes)
                let missing = await Self.code { try await artifacts.verifiedRead(tenantID: tenant, version: "v1", checksum: checksum) }
                #expect(missing == .artifactMissing, "\(type(of: artifacts))")
                try await artifacts.put(tenantID: tenant, version: "v1", bytes: bytes)
                #expect(try await artifacts.verifiedRead(tenantID: tenant, version: "v1", checksum: checksum) == bytes)
                let corrupt = await Self.code {
                    try await artifacts.verifiedRead(tenantID: tenant, version: "v1", checksum: ArtifactChecksum.of(bytes + [0]))
                }
                #expect(corrupt == .artifactCorrupt, "\(type(of: artifacts))")
            }
        }
    }
}
