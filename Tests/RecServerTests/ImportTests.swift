import Foundation
import Testing
import RecCore
@testable import RecServer
import RecTesting

@Suite("Bulk imports")
struct ImportTests {
    /// Polls a job until it reaches a final status, for at most `timeout`.
    static func finished(_ client: TestClient, key: String, jobID: String, timeout: Duration = .seconds(30)) async throws -> [String: JSONValue] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let reply = try await client.send(.get, "/api/v1/jobs/\(jobID)", key: key)
            if let status = reply.json["status"]?.stringValue, ["succeeded", "failed", "cancelled"].contains(status) { return reply.json }
            try await Task.sleep(for: .milliseconds(50))
        }
        let last = try await client.send(.get, "/api/v1/jobs/\(jobID)", key: key)
        throw TestFailure("job \(jobID) did not finish in \(timeout): \(last.text)")
    }

    @Test("a CSV import stores valid rows and reports rejected ones by line number", arguments: TestStore.all)
    func csvImport(store: TestStore) async throws {
        try await TestApp(store).run { client, parts throws in
            let tenant = try await client.createTenant()
            var csv = "user_id,item_id,interaction_type,timestamp,weight\n"
            for row in 0..<12_000 { csv += "u\(row % 300),i\(row % 977),view,\(1_700_000_000 + row),\n" }
            csv += "u1,,view,,\n"                                  // line 12,002: missing item
            csv += "u1,i1,teleport,,\n"                           // line 12,003: unknown type
            csv += "\"u,2\",\"i\"\"q\",click,2024-01-01T00:00:00Z,3\n" // quoted fields
            csv += "u1,i1\n"                                       // line 12,005: too few fields
            let reply = try await client.send(.post, "/api/v1/imports?type=interactions", key: tenant.key, body: csv, headers: [.contentType: "text/csv"])
            #expect(reply.status == 202)
            let jobID = try #require(reply.json["job_id"]?.stringValue)
            #expect(reply.headers[.location] == "/api/v1/jobs/\(jobID)")
            let job = try await Self.finished(client, key: tenant.key, jobID: jobID)
            #expect(job["status"] == "succeeded")
            #expect(job["accepted"] == 12_001)
            #expect(job["rejected"] == 3)
            #expect(job["progress"] == 1)
            let errors = job["errors"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(errors.map { $0["line"] } == [12_002, 12_003, 12_005])
            #expect(errors.map { $0["field"] } == ["item_id", "interaction_type", "$"])
            #expect(try await parts.store.interactionCount(tenantID: tenant.id) == 12_001)
            let quoted = try await parts.store.interactions(tenantID: tenant.id, userID: "u,2", limit: 1)
            #expect(quoted.first?.itemID == "i\"q")
            #expect(quoted.first?.weight == 3)
        }
    }

    @Test("NDJSON imports of items and users; extra CSV columns become item properties")
    func ndjsonAndItems() async throws {
        try await TestApp(.sqlite).run { client, _ throws in
            let tenant = try await client.createTenant()
            let ndjson = """
                {"user_id":"u1","properties":{"plan":"pro"}}

                {"user_id":"u2"}
                not json
                """
            let users = try await client.send(.post, "/api/v1/imports?type=users", key: tenant.key, body: ndjson, headers: [.contentType: "application/x-ndjson"])
            let usersJob = try await Self.finished(client, key: tenant.key, jobID: try #require(users.json["job_id"]?.stringValue))
            #expect(usersJob["accepted"] == 2)
            #expect(usersJob["errors"]?.arrayValue?.first?.objectValue?["line"] == 4)
            let csv = "item_id,title,category,tags,colour\nsku-1,Lamp,home,a|b,red\n"
            let items = try await client.send(.post, "/api/v1/imports?type=items", key: tenant.key, body: csv, headers: [.contentType: "text/csv; charset=utf-8"])
            _ = try await Self.finished(client, key: tenant.key, jobID: try #require(items.json["job_id"]?.stringValue))
            let item = try await client.send(.get, "/api/v1/items/sku-1", key: tenant.key)
            #expect(item.json["tags"] == ["a", "b"])
            #expect(item.json["properties"] == ["colour": "red"])
        }
    }

    @Test("bad uploads: missing type, wrong content type, bad header, empty body")
    func badUploads() async throws {
        try await TestApp(.sqlite).run { client, _ throws in
            let tenant = try await client.createTenant()
            #expect(try await client.send(.post, "/api/v1/imports", key: tenant.key, body: "a\n", headers: [.contentType: "text/csv"]).errorField == "type")
            #expect(try await client.send(.post, "/api/v1/imports?type=likes", key: tenant.key, body: "a\n", headers: [.contentType: "text/csv"]).errorField == "type")
            #expect(try await client.send(.post, "/api/v1/imports?type=items", key: tenant.key, body: "{}", headers: [.contentType: "application/json"]).status == 415)
            #expect(try await client.send(.post, "/api/v1/imports?type=items", key: tenant.key, body: "", headers: [.contentType: "text/csv"]).status == 400)
            let reply = try await client.send(.post, "/api/v1/imports?type=interactions", key: tenant.key, body: "user,item\nu,i\n", headers: [.contentType: "text/csv"])
            let job = try await Self.finished(client, key: tenant.key, jobID: try #require(reply.json["job_id"]?.stringValue))
            #expect(job["status"] == "failed")
            #expect(job["message"]?.stringValue?.contains("user_id") == true)
            // An unterminated quote must not swallow the file into memory: the job fails naming the line.
            let runaway = "item_id,title\nok,fine\nbad,\"" + String(repeating: "x", count: 1_100_000) + "\n"
            let unterminated = try await client.send(.post, "/api/v1/imports?type=items", key: tenant.key, body: runaway, headers: [.contentType: "text/csv"])
            let failed = try await Self.finished(client, key: tenant.key, jobID: try #require(unterminated.json["job_id"]?.stringValue))
            #expect(failed["status"] == "failed")
            #expect(failed["message"]?.stringValue?.contains("line 3") == true)
        }
    }

    @Test("cancelling a running import stops it between chunks; every row it reports as accepted is stored", arguments: TestStore.all)
    func cancelRunningImport(store: TestStore) async throws {
        try await TestApp(store).run { client, parts throws in
            let tenant = try await client.createTenant()
            var csv = "user_id,item_id,interaction_type\n"
            csv.reserveCapacity(5_000_000)
            for row in 0..<250_000 { csv += "u\(row % 1000),i\(row % 5000),view\n" }
            let reply = try await client.send(.post, "/api/v1/imports?type=interactions", key: tenant.key, body: csv, headers: [.contentType: "text/csv"])
            let jobID = try #require(reply.json["job_id"]?.stringValue)
            // Wait until the first chunk committed, then cancel.
            for _ in 0..<600 {
                let job = try await client.send(.get, "/api/v1/jobs/\(jobID)", key: tenant.key).json
                if (job["accepted"]?.numberValue ?? 0) > 0 || job["status"] != "running" && job["status"] != "queued" { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await client.send(.post, "/api/v1/jobs/\(jobID)/cancel", key: tenant.key).status == 202)
            let job = try await Self.finished(client, key: tenant.key, jobID: jobID)
            #expect(job["status"] == "cancelled")
            let accepted = Int(try #require(job["accepted"]?.numberValue))
            #expect(accepted > 0 && accepted < 250_000)
            #expect(try await parts.store.interactionCount(tenantID: tenant.id) == accepted)
        }
    }

    @Test("the spool sweep deletes uploads whose job is over and keeps those still to run")
    func spoolSweep() async throws {
        let directory = try TestStore.temporaryDirectory()
        try await TestApp(.sqlite, configure: { $0.dataDirectory = directory }).run { _, parts throws in
            let spool = (directory as NSString).appendingPathComponent("spool")
            let done = Job(id: "j_done", tenantID: "t_x", kind: "import-test", status: .cancelled, params: [:], createdAt: 1)
            let waiting = Job(id: "j_waiting", tenantID: "t_x", kind: "import-test", status: .queued, params: [:], createdAt: 1)
            try await parts.store.createJob(done, owner: "nobody")
            try await parts.store.createJob(waiting, owner: "nobody")
            for name in ["j_done.csv", "j_waiting.csv"] {
                _ = FileManager.default.createFile(atPath: (spool as NSString).appendingPathComponent(name), contents: Data("item_id\n".utf8))
            }
            await parts.importWorker.sweepSpool()
            #expect(!FileManager.default.fileExists(atPath: (spool as NSString).appendingPathComponent("j_done.csv")))
            #expect(FileManager.default.fileExists(atPath: (spool as NSString).appendingPathComponent("j_waiting.csv")))
        }
    }

    @Test("an upload over the configured limit is refused with 413 and leaves no job")
    func sizeLimit() async throws {
        try await TestApp(.sqlite, configure: { $0.maxImportBytes = 1_000 }).run { client, _ throws in
            let tenant = try await client.createTenant()
            let csv = "item_id\n" + (0..<500).map { "item-\($0)" }.joined(separator: "\n")
            #expect(try await client.send(.post, "/api/v1/imports?type=items", key: tenant.key, body: csv, headers: [.contentType: "text/csv"]).status == 413)
            #expect(try await client.send(.get, "/api/v1/jobs", key: tenant.key).json["jobs"] == [])
        }
    }
}
