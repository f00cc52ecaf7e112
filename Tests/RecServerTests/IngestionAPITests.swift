import Foundation
import Testing
import RecCore
import RecServer
import RecTesting

@Suite("Ingestion API")
struct IngestionAPITests {
    @Test("a batch with one bad row is rejected whole, naming every bad row, and nothing is written", arguments: TestStore.all)
    func batchIsAtomic(store: TestStore) async throws {
        try await TestApp(store).run { client, parts throws in
            let tenant = try await client.createTenant()
            let batch: JSONValue = ["interactions": [
                ["user_id": "u1", "item_id": "i1", "interaction_type": "view"],
                ["user_id": "u1", "item_id": "i2", "interaction_type": "teleport"],
                ["user_id": "u2", "item_id": "i3", "interaction_type": "rating"],
            ]]
            let reply = try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: batch)
            #expect(reply.status == 400)
            #expect(reply.errorCode == "invalid_rows")
            #expect(reply.errorField == "interactions[1].interaction_type")
            let rows = reply.json["error"]?.objectValue?["details"]?.objectValue?["rows"]?.arrayValue ?? []
            #expect(rows.compactMap { $0.objectValue?["field"]?.stringValue } == ["interactions[1].interaction_type", "interactions[2].value"])
            #expect(try await parts.store.interactionCount(tenantID: tenant.id) == 0)

            let good = try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: ["interactions": [
                ["user_id": "u1", "item_id": "i1", "interaction_type": "view", "timestamp": "2024-05-01T12:00:00Z"],
                ["user_id": "u2", "item_id": "i3", "interaction_type": "rating", "value": 4, "timestamp": 1_714_564_800],
            ]])
            #expect(good.status == 200)
            #expect(good.json["accepted"] == 2)
            let stored = try await parts.store.interactions(tenantID: tenant.id, userID: "u2", limit: 10)
            #expect(stored.first?.weight == 4)
            #expect(stored.first?.timestamp == 1_714_564_800_000)
        }
    }

    @Test("single events, the 10,000-row limit and 400s that name the field")
    func singleEventsAndLimits() async throws {
        try await TestApp(.sqlite).run { client, parts throws in
            let tenant = try await client.createTenant()
            let single = try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: ["user_id": "u", "item_id": "i", "interaction_type": "purchase"])
            #expect(single.status == 200)
            #expect(try await parts.store.interactions(tenantID: tenant.id, userID: "u", limit: 1).first?.weight == 8)

            let tooMany = JSONValue.object(["interactions": .array(Array(repeating: ["user_id": "u", "item_id": "i", "interaction_type": "view"], count: 10_001))])
            #expect(try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: tooMany).status == 413)

            let cases: [(JSONValue, String)] = [
                (["user_id": "u", "item_id": "i"], "interaction_type"),
                (["user_id": 5, "item_id": "i", "interaction_type": "view"], "user_id"),
                (["user_id": "u", "item_id": "i", "interaction_type": "view", "timestamp": "yesterday"], "timestamp"),
                (["user_id": "u", "item_id": "i", "interaction_type": "view", "weight": -1], "weight"),
                (["user_id": "u", "item_id": "i", "interaction_type": "view", "colour": "red"], "colour"),
                (["user_id": .string(String(repeating: "x", count: 257)), "item_id": "i", "interaction_type": "view"], "user_id"),
                (["user_id": "tab\there", "item_id": "i", "interaction_type": "view"], "user_id"),
            ]
            for (body, field) in cases {
                let reply = try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.errorField == field, "\(reply.text)")
            }
            let items = try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": [["item_id": "a", "tags": [1]]]])
            #expect(items.errorField == "items[0].tags[0]")
            #expect(try await parts.store.interactionCount(tenantID: tenant.id) == 1)
        }
    }

    @Test("no input makes the server answer 500", arguments: TestStore.all)
    func garbageNeverCrashes(store: TestStore) async throws {
        try await TestApp(store).run { client, _ throws in
            let tenant = try await client.createTenant()
            let bodies = ["", "{", "[]", "null", "\"x\"", "{\"interactions\":5}", "{\"interactions\":[]}", "{\"interactions\":[null]}",
                          "{\"items\":[{\"item_id\":{}}]}", "{\"user_id\":\"\\u0000\",\"item_id\":\"i\",\"interaction_type\":\"view\"}",
                          String(repeating: "[", count: 10_000), "{\"interactions\":[{\"user_id\":\"u\",\"item_id\":\"i\",\"interaction_type\":\"view\",\"weight\":1e999}]}",
                          "{\"items\":[{\"item_id\":\"a\",\"title\":\"nul\\u0000here\"}]}", "{\"items\":[{\"item_id\":\"a\",\"properties\":{\"x\":1e999}}]}",
                          "{\"name\":\"a\\u0000b\"}"]
            for path in ["/api/v1/interactions", "/api/v1/items", "/api/v1/users", "/api/v1/imports?type=items", "/admin/v1/tenants"] {
                for body in bodies {
                    let key = path.hasPrefix("/admin") ? TestApp.adminToken : tenant.key
                    let reply = try await client.send(.post, path, key: key, body: body)
                    #expect((400..<500).contains(reply.status), "\(path) \(body.prefix(40)) -> \(reply.status) \(reply.text)")
                    #expect(reply.errorCode != nil)
                }
            }
        }
    }

    @Test("a retried request with the same Idempotency-Key is stored once", arguments: TestStore.all)
    func idempotency(store: TestStore) async throws {
        try await TestApp(store).run { client, parts throws in
            let tenant = try await client.createTenant()
            let body: JSONValue = ["interactions": [["user_id": "u", "item_id": "i", "interaction_type": "click"], ["user_id": "u", "item_id": "j", "interaction_type": "click"]]]
            // The same request sent 8 times at once (a client retrying before the first answer): one write, 8 equal answers.
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: body, headers: [.init("Idempotency-Key")!: "order-1"]) }
                }
                var replies: [Reply] = []
                for try await reply in group { replies.append(reply) }
                return replies
            }
            #expect(replies.allSatisfy { $0.status == 200 && $0.json["accepted"] == 2 })
            #expect(replies.filter { $0.headers[.init("Idempotent-Replayed")!] == "true" }.count == 7)
            #expect(try await parts.store.interactionCount(tenantID: tenant.id) == 2)
            let retry = try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: body, headers: [.init("Idempotency-Key")!: "order-1"])
            #expect(retry.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(try await parts.store.interactionCount(tenantID: tenant.id) == 2)
            let other: JSONValue = ["user_id": "u", "item_id": "k", "interaction_type": "click"]
            let reused = try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: other, headers: [.init("Idempotency-Key")!: "order-1"])
            #expect(reused.status == 422)
            // Keys are per tenant: another tenant may use the same key.
            let second = try await client.createTenant()
            #expect(try await client.send(.post, "/api/v1/interactions", key: second.key, json: other, headers: [.init("Idempotency-Key")!: "order-1"]).status == 200)
        }
    }

    @Test("unknown interaction types are refused until the tenant configures them")
    func interactionTypes() async throws {
        try await TestApp(.sqlite).run { client, _ throws in
            let tenant = try await client.createTenant()
            let like: JSONValue = ["user_id": "u", "item_id": "i", "interaction_type": "like"]
            #expect(try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: like).errorField == "interaction_type")
            #expect(try await client.send(.put, "/api/v1/interaction-types/like", key: tenant.key, json: ["weight": 3]).status == 200)
            #expect(try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: like).status == 200)
            let types = try await client.send(.get, "/api/v1/interaction-types", key: tenant.key)
            #expect(types.json["interaction_types"]?.arrayValue?.count == 6)
        }
    }
}
