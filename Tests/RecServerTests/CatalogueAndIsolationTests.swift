import Foundation
import Testing
import RecCore
import RecServer
import RecTesting

@Suite("Catalogue and tenant isolation")
struct CatalogueAndIsolationTests {
    @Test("cursor pagination visits every item exactly once, in id order, even while items are added", arguments: TestStore.all)
    func pagination(store: TestStore) async throws {
        try await TestApp(store).run { client, _ throws in
            let tenant = try await client.createTenant()
            let ids = (0..<57).map { String(format: "item-%03d", $0) }
            let upsert = try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": .array(ids.map { ["item_id": .string($0), "category": "c"] })])
            #expect(upsert.json["accepted"] == 57)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let reply = try await client.send(.get, "/api/v1/items?limit=10" + (cursor.map { "&cursor=\($0)" } ?? ""), key: tenant.key)
                #expect(reply.status == 200)
                seen += reply.json["items"]?.arrayValue?.compactMap { $0.objectValue?["item_id"]?.stringValue } ?? []
                #expect(reply.json.keys.contains("next_cursor"))
                cursor = reply.json["next_cursor"]?.stringValue
                if seen.count == 20 {
                    // An item added before the cursor does not shift the remaining pages.
                    try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": [["item_id": "item-000a"]]])
                }
            } while cursor != nil
            #expect(seen == ids)
            #expect(try await client.send(.get, "/api/v1/items?limit=0", key: tenant.key).errorField == "limit")
            #expect(try await client.send(.get, "/api/v1/items?cursor=%%%", key: tenant.key).errorField == "cursor")
        }
    }

    @Test("items upsert, read back and delete; a later duplicate in one batch wins", arguments: TestStore.all)
    func itemLifecycle(store: TestStore) async throws {
        try await TestApp(store).run { client, _ throws in
            let tenant = try await client.createTenant()
            let batch: JSONValue = ["items": [
                ["item_id": "a", "title": "First", "category": "books", "tags": ["x"], "properties": ["price": 10]],
                ["item_id": "a", "title": "Second", "category": "books", "available": false],
            ]]
            #expect(try await client.send(.post, "/api/v1/items", key: tenant.key, json: batch).status == 200)
            let item = try await client.send(.get, "/api/v1/items/a", key: tenant.key)
            #expect(item.json["title"] == "Second")
            #expect(item.json["available"] == false)
            #expect(try await client.send(.delete, "/api/v1/items/a", key: tenant.key).status == 204)
            #expect(try await client.send(.get, "/api/v1/items/a", key: tenant.key).status == 404)
            #expect(try await client.send(.delete, "/api/v1/items/a", key: tenant.key).status == 404)
            #expect(try await client.send(.post, "/api/v1/users", key: tenant.key, json: ["users": [["user_id": "u1", "properties": ["plan": "pro"]]]]).status == 200)
            // Ids with spaces and non-ASCII are addressed percent-encoded in the path.
            #expect(try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": [["item_id": "café 1/2?"]]]).status == 200)
            #expect(try await client.send(.get, "/api/v1/items/caf%C3%A9%201%2F2%3F", key: tenant.key).json["item_id"] == "café 1/2?")
            #expect(try await client.send(.delete, "/api/v1/items/caf%C3%A9%201%2F2%3F", key: tenant.key).status == 204)
            #expect(try await client.send(.get, "/api/v1/items/%00", key: tenant.key).errorField == "item_id")
            #expect(try await client.send(.get, "/api/v1/users/u1", key: tenant.key).json["properties"] == ["plan": "pro"])
        }
    }

    @Test("tenant B cannot read, list, change or infer tenant A's data: its ids answer 404", arguments: TestStore.all)
    func isolation(store: TestStore) async throws {
        try await TestApp(store).run { client, parts throws in
            let a = try await client.createTenant()
            let b = try await client.createTenant()
            #expect(try await client.send(.post, "/api/v1/items", key: a.key, json: ["items": [["item_id": "secret", "title": "A's"]]]).status == 200)
            #expect(try await client.send(.post, "/api/v1/users", key: a.key, json: ["users": [["user_id": "alice"]]]).status == 200)
            #expect(try await client.send(.post, "/api/v1/interactions", key: a.key, json: ["user_id": "alice", "item_id": "secret", "interaction_type": "view"]).status == 200)
            let job = try await client.send(.post, "/api/v1/imports?type=items", key: a.key, body: "item_id\nz\n", headers: [.contentType: "text/csv"])
            let jobID = try #require(job.json["job_id"]?.stringValue)

            #expect(try await client.send(.get, "/api/v1/items/secret", key: b.key).status == 404)
            #expect(try await client.send(.get, "/api/v1/users/alice", key: b.key).status == 404)
            #expect(try await client.send(.get, "/api/v1/jobs/\(jobID)", key: b.key).status == 404)
            #expect(try await client.send(.post, "/api/v1/jobs/\(jobID)/cancel", key: b.key).status == 404)
            #expect(try await client.send(.delete, "/api/v1/items/secret", key: b.key).status == 404)
            #expect(try await client.send(.get, "/api/v1/items", key: b.key).json["items"] == [])
            #expect(try await client.send(.get, "/api/v1/jobs", key: b.key).json["jobs"] == [])
            // B writing the same item id creates B's own item; A's is untouched.
            #expect(try await client.send(.post, "/api/v1/items", key: b.key, json: ["items": [["item_id": "secret", "title": "B's"]]]).status == 200)
            #expect(try await client.send(.get, "/api/v1/items/secret", key: a.key).json["title"] == "A's")
            #expect(try await parts.store.interactionCount(tenantID: b.id) == 0)
            #expect(try await parts.store.interactionCount(tenantID: a.id) == 1)
        }
    }

    @Test("a tenant over its token bucket gets 429 with Retry-After; other tenants are unaffected")
    func rateLimit() async throws {
        // One token per 100 s: a slow, loaded machine cannot refill the bucket between the requests.
        try await TestApp(.sqlite, configure: { $0.defaultRateLimit = RateLimit(perSecond: 0.01, burst: 3) }).run { client, _ throws in
            let a = try await client.createTenant()
            let b = try await client.createTenant()
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await client.send(.get, "/api/v1/items", key: a.key).status) }
            #expect(statuses == [200, 200, 200, 429, 429])
            let limited = try await client.send(.get, "/api/v1/items", key: a.key)
            #expect(limited.errorCode == "rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await client.send(.get, "/api/v1/items", key: b.key).status == 200)
            // The operator can raise one tenant's limit.
            #expect(try await client.send(.put, "/admin/v1/tenants/\(a.id)/rate-limit", key: TestApp.adminToken, json: ["per_second": 1000, "burst": 1000]).status == 200)
            #expect(try await client.send(.get, "/api/v1/items", key: a.key).status == 200)
        }
    }
}
