import Foundation
@testable import RecServer
import RecCore
import RecTesting
import Testing

/// Model monitors against the live stream: drift of a shifted stream alerts and a same-distribution one does not;
/// online quality counts a served list's follow-up interactions.
@Suite("Model monitors")
struct MonitorTests {
    /// A seeded stream: `count` events over 200 items and `users` users; `drifted` turns popularity upside down, has a
    /// tenth of the users do everything, and makes every event a purchase.
    static func events(count: Int, users: Int, seed: UInt64, drifted: Bool) -> [JSONValue] {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        return (0..<count).map { _ in
            let skew = next() * next()
            let item = drifted ? 199 - Int(skew * 200) : Int(skew * 200)
            let user = drifted ? Int(next() * Double(users / 10)) : Int(next() * Double(users))
            let type = drifted ? "purchase" : (next() < 0.8 ? "view" : "click")
            return ["user_id": .string("u\(user)"), "item_id": .string("i\(item)"), "interaction_type": .string(type)]
        }
    }

    static func post(_ client: TestClient, key: String, _ rows: [JSONValue]) async throws {
        for start in stride(from: 0, to: rows.count, by: 2_000) {
            let reply = try await client.send(.post, "/api/v1/interactions", key: key, json: ["interactions": .array(Array(rows[start..<min(rows.count, start + 2_000)]))])
            guard reply.status == 200 || reply.status == 201 else { throw TestFailure("ingest answered \(reply.status): \(reply.text)") }
        }
    }

    /// A tenant trained (popularity) on a baseline stream, then sent `live`.
    static func tenant(_ client: TestClient, live: [JSONValue]) async throws -> (id: String, key: String) {
        let tenant = try await client.createTenant()
        let items: [JSONValue] = (0..<200).map { ["item_id": .string("i\($0)")] }
        let reply = try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": .array(items)])
        guard reply.status == 200 else { throw TestFailure("items answered \(reply.status): \(reply.text)") }
        try await post(client, key: tenant.key, events(count: 4_000, users: 300, seed: 7, drifted: false))
        let job = try await TrainingTests.train(client, key: tenant.key, ["model": "popularity"])
        guard job["status"] == "succeeded" else { throw TestFailure("training failed: \(job)") }
        try await post(client, key: tenant.key, live)
        // Monitors watch the tenants this replica serves: ask once (similar items, which online quality does not count).
        let similar = try await client.send(.get, "/api/v1/items/i0/similar?count=3", key: tenant.key)
        guard similar.status == 200 else { throw TestFailure("similar items answered \(similar.status)") }
        return tenant
    }

    @Test("a drifted stream raises the drift alert; a stream like the training data does not")
    func driftAlerts() async throws {
        let app = TestApp(.sqlite) { configuration in
            configuration.monitors.interval = .milliseconds(300)
            configuration.monitors.attributionMillis = 1_500
            configuration.alertInterval = .milliseconds(200)
        }
        try await app.run { client, parts in
            // The steady stream also brings users the snapshot never saw (growth, not drift).
            let newcomers = Self.events(count: 150, users: 50, seed: 5, drifted: false).map { event -> JSONValue in
                guard case .object(var fields) = event, let user = fields["user_id"]?.stringValue else { return event }
                fields["user_id"] = .string("new-" + user)
                return .object(fields)
            }
            let steady = try await Self.tenant(client, live: Self.events(count: 1_500, users: 300, seed: 99, drifted: false) + newcomers)
            let shifted = try await Self.tenant(client, live: Self.events(count: 1_500, users: 300, seed: 99, drifted: true))

            // Serve the steady tenant's user a list, then let them take its first item, citing the list.
            let list = try await client.send(.post, "/api/v1/recommendations", key: steady.key, json: ["user_id": "u1", "count": 10])
            let recommendationID = try #require(list.json["recommendation_id"]?.stringValue)
            let first = try #require(ServingTests.ids(list).first)
            try await Self.post(client, key: steady.key, [["user_id": "u1", "item_id": .string(first), "interaction_type": "click", "recommendation_id": .string(recommendationID)]])

            func monitors(_ key: String, until check: @escaping (Reply) -> Bool) async throws -> Reply {
                try await ServingTests.eventually(timeout: .seconds(20), { try await client.send(.get, "/api/v1/monitors", key: key) }, check)
            }
            func alertNames(_ reply: Reply) -> [String] {
                reply.json["alerts"]?.arrayValue?.compactMap { $0.objectValue?["labels"]?.objectValue?["alertname"]?.stringValue } ?? []
            }
            let drifting = try await monitors(shifted.key) { alertNames($0).filter { $0 == "ModelInputDrift" }.count == 3 }
            let drift = try #require(drifting.json["monitors"]?.objectValue?["drift"]?.objectValue)
            #expect(drift["live_events"] == 1_500)
            let features = try #require(drift["features"]?.objectValue)
            for feature in ["item_popularity", "user_activity", "event_type"] {
                let psi = try #require(features[feature]?.objectValue?["psi"]?.numberValue)
                #expect(psi > 0.2, "\(feature) PSI \(psi)")
                #expect(features[feature]?.objectValue?["alert"] == true)
            }
            #expect(alertNames(drifting).filter { $0 == "ModelInputDrift" }.count == 3)

            let calm = try await monitors(steady.key) { reply in
                let online = reply.json["monitors"]?.objectValue?["online"]?.arrayValue ?? []
                return reply.json["monitors"]?.objectValue?["drift"]?.objectValue?["live_events"] == 1_651 && !online.isEmpty
            }
            let calmFeatures = try #require(calm.json["monitors"]?.objectValue?["drift"]?.objectValue?["features"]?.objectValue)
            for feature in ["item_popularity", "user_activity", "event_type"] {
                let psi = try #require(calmFeatures[feature]?.objectValue?["psi"]?.numberValue)
                let js = try #require(calmFeatures[feature]?.objectValue?["js_divergence"]?.numberValue)
                // Below the thresholds; user activity less far below: users ranked by a noisy baseline count regress
                // to the mean in any later sample.
                let bound = feature == "user_activity" ? 0.15 : 0.05
                #expect(psi < bound && js < 0.05, "\(feature): PSI \(psi), JS \(js)")
            }
            #expect(!alertNames(calm).contains("ModelInputDrift"))
            let newUsers = try #require(calm.json["monitors"]?.objectValue?["drift"]?.objectValue?["new_users_share"]?.numberValue)
            #expect(abs(newUsers - 150.0 / 1_651) < 1e-9)
            // The served list was followed by a click on its first item: a hit at rank 1.
            let online = try #require(calm.json["monitors"]?.objectValue?["online"]?.arrayValue?.first?.objectValue)
            #expect(online["lists"] == 1 && online["hit_rate"] == 1 && online["ndcg_at_10"] == 1, "\(online)")

            // The alert is exported, and the operator sees both tenants.
            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.text.contains("rec_alerts_firing{alertname=\"ModelInputDrift\",severity=\"warning\"} 3"))
            #expect(metrics.text.contains("rec_drift_psi{tenant=\"\(shifted.id)\",feature=\"event_type\"}"))
            let all = try await client.send(.get, "/admin/v1/monitors", key: TestApp.adminToken)
            let listed = Set(all.json["tenants"]?.arrayValue?.compactMap { $0.objectValue?["tenant_id"]?.stringValue } ?? [])
            #expect(listed.isSuperset(of: [steady.id, shifted.id]))
            #expect(all.json["slos"]?.arrayValue?.isEmpty == false)
            _ = parts
        }
    }
}
