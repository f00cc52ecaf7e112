import Foundation
import RecCore
@testable import RecServer
import RecTesting
import Testing

/// The database goes away under a running service (through a proxy that cuts every connection, mid-transaction too):
/// recommendations keep answering from memory, writes answer 503 with Retry-After once the pool gives up, readiness
/// turns 503, and when the database is back everything resumes without a restart, with nothing acknowledged lost.
@Suite("PostgreSQL outage")
struct OutageTests {
    /// The test database's URL with its host and port replaced by the proxy's.
    static func proxied(_ url: String, port: Int) throws -> (url: String, host: String, port: Int) {
        guard var components = URLComponents(string: url), let host = components.host, let target = components.port else {
            throw TestFailure("cannot read host and port from \(url)")
        }
        components.host = "127.0.0.1"
        components.port = port
        guard let rewritten = components.string else { throw TestFailure("cannot rewrite \(url)") }
        return (rewritten, host, target)
    }

    static func interactions(_ client: TestClient, key: String, user: String, count: Int) async throws -> Reply {
        let rows: [JSONValue] = (0..<count).map { step in
            ["user_id": .string(user), "item_id": .string("i\((step * 7) % 60)"), "interaction_type": "view"]
        }
        return try await client.send(.post, "/api/v1/interactions", key: key, json: ["interactions": .array(rows)])
    }

    /// Part of the long suite (`RECOMMENDER_LONG_TESTS=1`, see the README's Reliability section): beside the
    /// CPU-heavy crash loop it sometimes hangs before its first training through the proxy finishes (cause not found
    /// yet); alone, and beside a few other suites, it passes.
    static let enabled = ProcessInfo.processInfo.environment["RECOMMENDER_LONG_TESTS"] == "1"

    @Test("an outage and a partition mid-write: reads keep serving, writes 503 quickly, readiness follows, all resumes",
          .enabled(if: enabled), arguments: TestStore.all.filter { $0 == .postgres })
    func outage(store: TestStore) async throws {
        guard let url = try store.databaseURL() else { return }
        let target = try Self.proxied(url, port: 1)
        let proxy = TCPProxy(targetHost: target.host, targetPort: target.port)
        let port = try await proxy.start()
        let proxiedURL = try Self.proxied(url, port: port).url
        do {
            try await TestApp(store, configure: { $0.databaseURL = proxiedURL }).run { client, parts throws in
                let (tenant, version) = try await ServingTests.trainedTenant(client)
                let key = tenant.key
                let before = try await client.send(.post, "/api/v1/recommendations", key: key, json: ["user_id": "u1", "count": 5])
                #expect(before.status == 200 && before.json["model_version"]?.stringValue == version)
                let stored = try await parts.store.interactionCount(tenantID: tenant.id)

                // A 10,000-row batch in flight when the connections are cut: all of it or none of it is stored.
                async let batch = Self.interactions(client, key: key, user: "batch", count: 10_000)
                try await Task.sleep(for: .milliseconds(30))
                proxy.cut()
                let inFlight = try await batch
                #expect([200, 503].contains(inFlight.status), "\(inFlight.status): \(inFlight.text)")

                let started = ContinuousClock.now
                let write = try await Self.interactions(client, key: key, user: "during", count: 1)
                #expect(write.status == 503, "\(write.text)")
                #expect(write.headers[.retryAfter] == "5")
                #expect(write.errorCode == "unavailable")
                // Within PostgreSQL's pool give-up (its circuit breaker opens after 15 s of failed connection attempts).
                #expect(ContinuousClock.now - started < .seconds(20), "a write waited \(ContinuousClock.now - started)")
                // Reads go on from memory (the key was cached before the outage; nobody can revoke it meanwhile).
                let during = try await client.send(.post, "/api/v1/recommendations", key: key, json: ["user_id": "u1", "count": 5])
                #expect(during.status == 200, "\(during.text)")
                #expect(ServingTests.ids(during) == ServingTests.ids(before))
                #expect(try await client.send(.get, "/api/v1/items/i1/similar?count=3", key: key).status == 200)
                let probe = ContinuousClock.now
                #expect(try await client.send(.get, "/health/ready").status == 503)
                #expect(ContinuousClock.now - probe < .seconds(8))
                #expect(try await client.send(.get, "/health/live").status == 200)

                proxy.restore()
                let deadline = ContinuousClock.now + .seconds(30)
                var resumed = 0
                while ContinuousClock.now < deadline {
                    if try await client.send(.get, "/health/ready").status == 200 { resumed += 1; break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(resumed == 1, "readiness did not return within 30 s")
                let after = try await Self.interactions(client, key: key, user: "after", count: 3)
                #expect(after.status == 200, "\(after.text)")
                // Exactly what was acknowledged is stored: the batch if (and only if) it answered 200, and the 3 after.
                let expected = stored + (inFlight.status == 200 ? 10_000 : 0) + 3
                #expect(try await parts.store.interactionCount(tenantID: tenant.id) == expected)
            }
        } catch {
            await proxy.stop()
            throw error
        }
        await proxy.stop()
    }
}
