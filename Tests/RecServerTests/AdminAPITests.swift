import Foundation
import Testing
import RecCore
import RecServer
import RecTesting

@Suite("Operator API and API keys")
struct AdminAPITests {
    @Test("creating a tenant returns its id and a working all-scopes key, shown once", arguments: TestStore.all)
    func createTenant(store: TestStore) async throws {
        try await TestApp(store).run { client, parts throws in
            let name = JSONValue.string("acme-\(UUID().uuidString.prefix(8))")
            let reply = try await client.send(.post, "/admin/v1/tenants", key: TestApp.adminToken, json: ["name": name])
            #expect(reply.status == 201)
            let key = try #require(reply.json["api_key"]?.stringValue)
            let tenantID = try #require(reply.json["tenant_id"]?.stringValue)
            #expect(Set(reply.json["scopes"]?.arrayValue?.compactMap(\.stringValue) ?? []) == ["ingest", "manage", "recommend"])
            #expect(try await client.send(.post, "/api/v1/items", key: key, json: ["items": [["item_id": "a"]]]).status == 200)
            // Only a hash is stored: no column of the key row holds the key.
            let stored = try await parts.store.keys(tenantID: tenantID)
            #expect(stored.count == 1)
            #expect(stored[0].hash == APIKeyCodec.hash(key))
            let listed = try await client.send(.get, "/admin/v1/tenants/\(tenantID)/keys", key: TestApp.adminToken)
            #expect(!listed.text.contains(key))
            #expect(try await client.send(.post, "/admin/v1/tenants", key: TestApp.adminToken, json: ["name": name]).status == 409)
        }
    }

    @Test("the admin API answers 401 without the operator token and does not exist without one configured")
    func operatorGuard() async throws {
        try await TestApp(.sqlite).run { client, _ throws in
            #expect(try await client.send(.get, "/admin/v1/tenants").status == 401)
            #expect(try await client.send(.get, "/admin/v1/tenants", key: "wrong-token-wrong-token").status == 401)
            #expect(try await client.send(.get, "/admin/v1/tenants", key: TestApp.adminToken).status == 200)
        }
        try await TestApp(.sqlite, configure: { $0.adminToken = nil }).run { client, _ throws in
            let reply = try await client.send(.post, "/admin/v1/tenants", key: TestApp.adminToken, json: ["name": "x"])
            #expect(reply.status == 404)
        }
    }

    @Test("suspension answers 403, resuming restores access, a revoked key answers 401", arguments: TestStore.all)
    func suspendAndRevoke(store: TestStore) async throws {
        try await TestApp(store).run { client, _ throws in
            let tenant = try await client.createTenant()
            let body: JSONValue = ["user_id": "u", "item_id": "i", "interaction_type": "view"]
            #expect(try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: body).status == 200)
            #expect(try await client.send(.post, "/admin/v1/tenants/\(tenant.id)/suspend", key: TestApp.adminToken).json["status"] == "suspended")
            let refused = try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: body)
            #expect(refused.status == 403)
            #expect(try await client.send(.post, "/admin/v1/tenants/\(tenant.id)/resume", key: TestApp.adminToken).status == 200)
            #expect(try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: body).status == 200)

            let listed = try await client.send(.get, "/admin/v1/tenants/\(tenant.id)/keys", key: TestApp.adminToken)
            let keyID = try #require(listed.json["keys"]?.arrayValue?.first?.objectValue?["key_id"]?.stringValue)
            #expect(try await client.send(.delete, "/admin/v1/tenants/\(tenant.id)/keys/\(keyID)", key: TestApp.adminToken).status == 204)
            #expect(try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: body).status == 401)
            #expect(try await client.send(.delete, "/admin/v1/tenants/\(tenant.id)/keys/k_missing", key: TestApp.adminToken).status == 404)
        }
    }

    @Test("a key only does what its scopes allow")
    func scopes() async throws {
        try await TestApp(.sqlite).run { client, _ throws in
            let tenant = try await client.createTenant()
            let recommendOnly = try await client.issueKey(tenantID: tenant.id, scopes: ["recommend"])
            let reply = try await client.send(.post, "/api/v1/items", key: recommendOnly, json: ["items": [["item_id": "a"]]])
            #expect(reply.status == 403)
            #expect(reply.errorCode == "forbidden")
            let ingest = try await client.issueKey(tenantID: tenant.id, scopes: ["ingest"])
            #expect(try await client.send(.post, "/api/v1/items", key: ingest, json: ["items": [["item_id": "a"]]]).status == 200)
            #expect(try await client.send(.put, "/api/v1/interaction-types/like", key: ingest, json: ["weight": 3]).status == 403)
            let bad = try await client.send(.post, "/admin/v1/tenants/\(tenant.id)/keys", key: TestApp.adminToken, json: ["scopes": ["everything"]])
            #expect(bad.status == 400)
            #expect(bad.errorField == "scopes[0]")
        }
    }

    @Test("malformed, unknown and missing keys are refused with 401")
    func badKeys() async throws {
        try await TestApp(.sqlite).run { client, _ throws in
            #expect(try await client.send(.get, "/api/v1/items").status == 401)
            #expect(try await client.send(.get, "/api/v1/items", key: "not-a-key").status == 401)
            let forged = "rk_0123456789abcdef_" + String(repeating: "a", count: 64)
            #expect(try await client.send(.get, "/api/v1/items", key: forged).status == 401)
            let tenant = try await client.createTenant()
            // Right prefix, wrong secret.
            let wrongSecret = String(tenant.key.dropLast(4)) + "ffff"
            #expect(try await client.send(.get, "/api/v1/items", key: wrongSecret == tenant.key ? forged : wrongSecret).status == 401)
        }
    }
}
