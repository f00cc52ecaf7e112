import Foundation
import RecCore
@testable import RecServer
import RecStore
import RecTesting
import Testing

@Suite("Training, versions and promotion")
struct TrainingTests {
    /// 120 users in three communities of 20 items, 10 events each, sent through the public API.
    static func ingest(_ client: TestClient, key: String, users: Int = 120) async throws {
        var rows: [JSONValue] = []
        for user in 0..<users {
            let community = user % 3
            for step in 0..<10 {
                let item = community * 20 + (user * 7 + step * 3) % 20
                rows.append(["user_id": .string("u\(user)"), "item_id": .string("i\(item)"), "interaction_type": "view"])
            }
        }
        let reply = try await client.send(.post, "/api/v1/interactions", key: key, json: ["interactions": .array(rows)])
        guard reply.status == 200 || reply.status == 201 else { throw TestFailure("ingest answered \(reply.status): \(reply.text)") }
    }

    /// Polls a training job until it reaches a final status (generous: the suite runs many trainings at once on 2 cores).
    static func finished(_ client: TestClient, key: String, jobID: String) async throws -> [String: JSONValue] {
        try await ImportTests.finished(client, key: key, jobID: jobID, timeout: .seconds(180))
    }

    /// Queues a training and waits for it to finish.
    static func train(_ client: TestClient, key: String, _ body: JSONValue) async throws -> [String: JSONValue] {
        let reply = try await client.send(.post, "/api/v1/models/train", key: key, json: body)
        guard reply.status == 202, let jobID = reply.json["job_id"]?.stringValue else { throw TestFailure("train answered \(reply.status): \(reply.text)") }
        return try await Self.finished(client, key: key, jobID: jobID)
    }

    @Test("a training job yields a checksummed version with holdout metrics; the first serves, promote and rollback switch",
          arguments: TestStore.all)
    func trainPromoteRollback(store: TestStore) async throws {
        try await TestApp(store).run { client, parts throws in
            let tenant = try await client.createTenant()
            try await Self.ingest(client, key: tenant.key)
            let first = try await Self.train(client, key: tenant.key, ["model": "ials", "params": ["factors": 8, "iterations": 6, "regularization": 0.1, "alpha": 5]])
            #expect(first["status"] == "succeeded", "\(first)")
            #expect(first["stage"] == "done")
            #expect(first["progress"] == 1)
            let ials = try #require(first["model_version"]?.stringValue)
            #expect(ials.hasPrefix("ials-"))
            #expect(first["result"]?.objectValue?["promoted"] == true)
            let recall = try #require(first["result"]?.objectValue?["metrics"]?.objectValue?["recall@20"]?.numberValue)
            #expect(recall > 0.3, "communities should be easy: recall@20 \(recall)")

            let second = try await Self.train(client, key: tenant.key, ["model": "popularity", "promote": "never"])
            let popularity = try #require(second["model_version"]?.stringValue)
            #expect(second["result"]?.objectValue?["promoted"] == false)

            var list = try await client.send(.get, "/api/v1/models", key: tenant.key)
            #expect(list.json["serving_version"]?.stringValue == ials)
            let versions = list.json["models"]?.arrayValue?.compactMap { $0.objectValue } ?? []
            #expect(Set(versions.compactMap { $0["version"]?.stringValue }) == [ials, popularity])
            let ialsEntry = try #require(versions.first { $0["version"]?.stringValue == ials })
            #expect(ialsEntry["serving"] == true)
            #expect(ialsEntry["users"] == 120)
            #expect(ialsEntry["params"]?.objectValue?["factors"] == 8)
            #expect(ialsEntry["checksum"]?.stringValue?.count == 64)

            let promoted = try await client.send(.post, "/api/v1/models/\(popularity)/promote", key: tenant.key)
            #expect(promoted.status == 200)
            #expect(promoted.json["previous_version"]?.stringValue == ials)
            list = try await client.send(.get, "/api/v1/models", key: tenant.key)
            #expect(list.json["serving_version"]?.stringValue == popularity)

            // Rolling back a version that is not serving is a conflict; rolling back the serving one restores ials.
            #expect(try await client.send(.post, "/api/v1/models/\(ials)/rollback", key: tenant.key).status == 409)
            let rolledBack = try await client.send(.post, "/api/v1/models/\(popularity)/rollback", key: tenant.key)
            #expect(rolledBack.status == 200)
            #expect(rolledBack.json["serving_version"]?.stringValue == ials)
            #expect(try await parts.store.servingVersion(tenantID: tenant.id) == ials)
            // Nothing was served before the first version.
            #expect(try await client.send(.post, "/api/v1/models/\(ials)/rollback", key: tenant.key).status == 409)

            // The artifact decodes back into the model that was trained.
            let record = try #require(try await parts.store.model(tenantID: tenant.id, version: ials))
            let bytes = try await parts.artifacts.verifiedRead(tenantID: tenant.id, version: ials, checksum: record.checksum)
            #expect(bytes.count == record.artifactBytes)

            // Another tenant sees none of it.
            let other = try await client.createTenant()
            #expect(try await client.send(.get, "/api/v1/models/\(ials)", key: other.key).status == 404)
            #expect(try await client.send(.post, "/api/v1/models/\(ials)/promote", key: other.key).status == 404)
            #expect(try await client.send(.get, "/api/v1/models", key: other.key).json["models"]?.arrayValue?.isEmpty == true)

            // Instrumented like everything else. (On PostgreSQL the suite's other apps share the queue, and any of
            // their trainers may have run these jobs, into their own registries: as replicas would.)
            if store == .sqlite {
                let expected = [
                    "rec_training_duration_seconds_count{model=\"ials\"} 1",
                    "rec_training_stage_duration_seconds_count{model=\"ials\",stage=\"refit\"} 1",
                    "rec_model_offline_metric{tenant=\"\(tenant.id)\",model=\"ials\",metric=\"recall@20\"}",
                    "rec_model_training_loss{tenant=\"\(tenant.id)\",model=\"ials\"}",
                    "rec_jobs_finished_total{kind=\"train\",status=\"succeeded\"} 2",
                ]
                // The job's row turns final a moment before the trainer counts it.
                var metrics = ""
                for _ in 0..<100 {
                    metrics = try await client.send(.get, "/metrics").text
                    if expected.allSatisfy(metrics.contains) { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                for line in expected { #expect(metrics.contains(line), "missing \(line)") }
            }
        }
    }

    @Test("a corrupt artifact is refused when promoted", arguments: TestStore.all)
    func corruptArtifactRefused(store: TestStore) async throws {
        try await TestApp(store).run { client, parts throws in
            let tenant = try await client.createTenant()
            try await Self.ingest(client, key: tenant.key)
            let job = try await Self.train(client, key: tenant.key, ["model": "popularity", "promote": "never"])
            let version = try #require(job["model_version"]?.stringValue)
            var bytes = try #require(try await parts.artifacts.read(tenantID: tenant.id, version: version))
            bytes[bytes.count - 1] ^= 0xFF
            try await parts.artifacts.delete(tenantID: tenant.id, version: version)
            try await parts.artifacts.put(tenantID: tenant.id, version: version, bytes: bytes)
            let reply = try await client.send(.post, "/api/v1/models/\(version)/promote", key: tenant.key)
            #expect(reply.status == 409)
            #expect(reply.text.contains("corrupt"))
            #expect(try await parts.store.servingVersion(tenantID: tenant.id) == nil)

            // Nor is a corrupt version rolled back onto.
            let good = try await Self.train(client, key: tenant.key, ["model": "itemknn", "promote": "always"])
            let goodVersion = try #require(good["model_version"]?.stringValue)
            let newer = try await Self.train(client, key: tenant.key, ["model": "popularity", "promote": "always"])
            let newerVersion = try #require(newer["model_version"]?.stringValue)
            var goodBytes = try #require(try await parts.artifacts.read(tenantID: tenant.id, version: goodVersion))
            goodBytes[40] ^= 0x01
            try await parts.artifacts.delete(tenantID: tenant.id, version: goodVersion)
            try await parts.artifacts.put(tenantID: tenant.id, version: goodVersion, bytes: goodBytes)
            let rollback = try await client.send(.post, "/api/v1/models/\(newerVersion)/rollback", key: tenant.key)
            #expect(rollback.status == 409)
            #expect(rollback.text.contains("corrupt"))
            #expect(try await parts.store.servingVersion(tenantID: tenant.id) == newerVersion)
        }
    }

    @Test("a cancelled training never touches the serving version")
    func cancelledTrainingKeepsServing() async throws {
        try await TestApp(.sqlite).run { client, parts throws in
            let tenant = try await client.createTenant()
            try await Self.ingest(client, key: tenant.key, users: 600)
            let first = try await Self.train(client, key: tenant.key, ["model": "popularity"])
            let serving = try #require(first["model_version"]?.stringValue)
            let long = try await client.send(.post, "/api/v1/models/train", key: tenant.key, json: ["model": "bpr", "params": ["iterations": 2000, "factors": 64], "promote": "always"])
            let jobID = try #require(long.json["job_id"]?.stringValue)
            for _ in 0..<400 {
                if try await client.send(.get, "/api/v1/jobs/\(jobID)", key: tenant.key).json["stage"] == "train" { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(try await client.send(.post, "/api/v1/jobs/\(jobID)/cancel", key: tenant.key).status == 202)
            let job = try await Self.finished(client, key: tenant.key, jobID: jobID)
            #expect(job["status"] == "cancelled")
            #expect(job["model_version"] == nil)
            #expect(try await parts.store.servingVersion(tenantID: tenant.id) == serving)
            #expect(try await parts.store.models(tenantID: tenant.id, limit: 10).count == 1)
        }
    }

    @Test("bad training requests are 400 naming the field; training needs the manage scope")
    func validation() async throws {
        try await TestApp(.sqlite).run { client, _ throws in
            let tenant = try await client.createTenant()
            let cases: [(JSONValue, String)] = [
                (["params": [:]], "model"),
                (["model": "deep-magic"], "model"),
                (["model": "ials", "params": ["factors": 0]], "params.factors"),
                (["model": "ials", "params": ["factor": 8]], "params.factor"),
                (["model": "ials", "params": ["alpha": "high"]], "params.alpha"),
                (["model": "ials", "promote": "sometimes"], "promote"),
                (["model": "ials", "extra": 1], "extra"),
            ]
            for (body, field) in cases {
                let reply = try await client.send(.post, "/api/v1/models/train", key: tenant.key, json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.errorField == field, "\(body): \(reply.text)")
            }
            let ingestOnly = try await client.issueKey(tenantID: tenant.id, scopes: ["ingest"])
            #expect(try await client.send(.post, "/api/v1/models/train", key: ingestOnly, json: ["model": "ials"]).status == 403)
            // A tenant without interactions gets a failed job with the reason, not a crash.
            let empty = try await Self.train(client, key: tenant.key, ["model": "ials"])
            #expect(empty["status"] == "failed")
            #expect(empty["message"]?.stringValue?.contains("no interactions") == true)
        }
    }

    @Test("a training whose memory estimate is above the limit fails before allocating, naming the estimate")
    func memoryLimit() async throws {
        try await TestApp(.sqlite, configure: { $0.trainingMemoryLimit = 1 << 20 }).run { client, parts throws in
            let tenant = try await client.createTenant()
            try await Self.ingest(client, key: tenant.key)
            let job = try await Self.train(client, key: tenant.key, ["model": "ials", "params": ["factors": 1024]])
            #expect(job["status"] == "failed")
            #expect(job["message"]?.stringValue?.contains("training memory limit") == true)
            #expect(try await parts.store.models(tenantID: tenant.id, limit: 1).isEmpty)
        }
    }

    @Test("a due schedule queues a training that runs and promotes by policy; the schedule API round-trips")
    func schedule() async throws {
        try await TestApp(.sqlite).run { client, parts throws in
            let tenant = try await client.createTenant()
            try await Self.ingest(client, key: tenant.key)
            let put = try await client.send(.put, "/api/v1/training-schedule", key: tenant.key, json: ["model": "itemknn", "params": ["neighbors": 10], "every_hours": 24])
            #expect(put.status == 200)
            #expect(put.json["every_hours"] == 24)
            #expect(try await client.send(.put, "/api/v1/training-schedule", key: tenant.key, json: ["model": "itemknn", "every_hours": 0]).errorField == "every_hours")
            // Make it due now, as if a day had passed.
            let stored = try #require(try await parts.store.schedule(tenantID: tenant.id))
            try await parts.store.putSchedule(TrainingSchedule(tenantID: tenant.id, model: stored.model, params: stored.params, promote: stored.promote, intervalSeconds: stored.intervalSeconds, nextRunAt: 0), now: 0)
            await parts.trainer.enqueueDueSchedules()
            await parts.trainer.enqueueDueSchedules() // claimed once: no second job
            let jobs = try await parts.store.jobs(tenantID: tenant.id, limit: 10).filter { $0.kind == "train" }
            #expect(jobs.count == 1)
            let job = try await Self.finished(client, key: tenant.key, jobID: try #require(jobs.first?.id))
            #expect(job["status"] == "succeeded")
            #expect(try await parts.store.servingVersion(tenantID: tenant.id) == job["model_version"]?.stringValue)
            #expect(try await parts.store.schedule(tenantID: tenant.id)!.nextRunAt > WallClock.nowMillis() + 23 * 3_600_000)
            #expect(try await client.send(.delete, "/api/v1/training-schedule", key: tenant.key).status == 204)
            #expect(try await client.send(.get, "/api/v1/training-schedule", key: tenant.key).status == 404)
        }
    }
}
