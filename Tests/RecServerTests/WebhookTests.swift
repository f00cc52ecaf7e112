import AsyncHTTPClient
import Foundation
import NIOCore
import RecCore
@testable import RecServer
import RecTesting
import Testing

/// Tenant webhooks: registration (with the private-address guard), signed Alertmanager-format deliveries through the
/// outbox, test sends, a failed training alerting the tenant, and isolation between tenants.
@Suite("Alert webhooks")
struct WebhookTests {
    /// An app whose webhooks may point at the loopback receiver (every test app's default) and whose alerts are quick.
    static func app(_ store: TestStore) -> TestApp {
        TestApp(store) { configuration in
            configuration.alertInterval = .milliseconds(200)
        }
    }

    @Test("a test send and a failed training reach the tenant's receiver, signed, in Alertmanager's format",
          arguments: TestStore.all)
    func signedDeliveries(store: TestStore) async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        try await Self.app(store).run { client, parts in
            let tenant = try await client.createTenant()
            let created = try await client.send(.post, "/api/v1/webhooks", key: tenant.key, json: ["url": .string(receiver.url)])
            #expect(created.status == 201, "\(created.text)")
            let webhookID = try #require(created.json["webhook_id"]?.stringValue)
            let secret = try #require(created.json["secret"]?.stringValue)
            #expect(secret.hasPrefix("whsec_") && secret.count > 30)
            receiver.expect(secret: secret)
            let listed = try await client.send(.get, "/api/v1/webhooks", key: tenant.key)
            #expect(listed.json["webhooks"]?.arrayValue?.count == 1)
            #expect(!listed.text.contains(secret), "the secret is shown once, at creation")

            // A test send goes through the outbox with the delivery id it was queued under.
            let test = try await client.send(.post, "/api/v1/webhooks/\(webhookID)/test", key: tenant.key)
            #expect(test.status == 202)
            let deliveryID = try #require(test.json["delivery_id"]?.stringValue)
            let first = try #require(await receiver.waitFor { $0.count >= 1 }.first)
            #expect(first.id == deliveryID)
            #expect(first.json["version"] as? String == "4")
            #expect(first.json["status"] as? String == "firing")
            #expect(first.json["receiver"] as? String == webhookID)
            #expect((first.json["groupLabels"] as? [String: String])?["alertname"] == "WebhookTest")
            #expect(first.labels["alertname"] == "WebhookTest" && first.labels["tenant"] == tenant.id)
            #expect((first.alert["fingerprint"] as? String)?.count == 16)
            #expect(first.alert["startsAt"] as? String != nil && first.alert["endsAt"] as? String == "0001-01-01T00:00:00Z")

            // A training with nothing to train on fails, and the tenant hears about it.
            let job = try await TrainingTests.train(client, key: tenant.key, ["model": "ials"])
            #expect(job["status"] == "failed")
            let all = await receiver.waitFor(timeout: .seconds(60)) { $0.contains { $0.labels["alertname"] == "TrainingFailed" } }
            let failed = try #require(all.first { $0.labels["alertname"] == "TrainingFailed" })
            #expect(failed.labels["tenant"] == tenant.id && failed.labels["model"] == "ials" && failed.labels["severity"] == "warning")
            #expect((failed.alert["annotations"] as? [String: String])?["description"]?.contains("no interactions") == true)
            let monitors = try await client.send(.get, "/api/v1/monitors", key: tenant.key)
            #expect(monitors.json["alerts"]?.arrayValue?.contains { $0.objectValue?["labels"]?.objectValue?["alertname"] == "TrainingFailed" } == true)

            // A later successful training resolves it: a second notification, status resolved, same fingerprint.
            try await TrainingTests.ingest(client, key: tenant.key, users: 30)
            let good = try await TrainingTests.train(client, key: tenant.key, ["model": "popularity"])
            #expect(good["status"] == "succeeded")
            let after = await receiver.waitFor(timeout: .seconds(60)) { $0.contains { $0.labels["alertname"] == "TrainingFailed" && $0.json["status"] as? String == "resolved" } }
            let resolved = try #require(after.first { $0.labels["alertname"] == "TrainingFailed" && $0.json["status"] as? String == "resolved" })
            #expect(resolved.alert["fingerprint"] as? String == failed.alert["fingerprint"] as? String)
            // Deliveries are at least once: a receiver may see one again (same delivery id) when an attempt timed out
            // after it arrived, or its lease ran out on a busy replica. Notifications are what must not repeat.
            let notifications = Set(after.filter { $0.labels["alertname"] == "TrainingFailed" }.map(\.id))
            #expect(notifications.count == 2, "one firing and one resolved notification, no repeats")
            #expect(receiver.rejections == 0)
            _ = parts
        }
        await receiver.stop()
    }

    @Test("a receiver refuses a forged signature; the signature covers the exact body")
    func forgedSignatureRefused() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        receiver.expect(secret: "whsec_the-real-secret")
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func post(_ body: String, signature: String) async throws -> UInt {
            var request = HTTPClientRequest(url: receiver.url)
            request.method = .POST
            request.headers.add(name: WebhookSignature.header, value: signature)
            request.body = .bytes(ByteBuffer(string: body))
            // Generous: every test shares the two event loops, as requests do in serve, and the suite runs them all at once.
            return try await client.execute(request, timeout: .seconds(30)).status.code
        }
        let body = #"{"version":"4","status":"firing"}"#
        do {
            #expect(try await post(body, signature: WebhookSignature.sign(body: Array(body.utf8), secret: "whsec_a-guessed-secret")) == 401)
            #expect(try await post(body + " ", signature: WebhookSignature.sign(body: Array(body.utf8), secret: "whsec_the-real-secret")) == 401)
            #expect(try await post(body, signature: "sha256=" + String(repeating: "0", count: 64)) == 401)
            #expect(try await post(body, signature: WebhookSignature.sign(body: Array(body.utf8), secret: "whsec_the-real-secret")) == 204)
            #expect(receiver.rejections == 3 && receiver.deliveries.count == 1)
        } catch {
            // A client dropped without shutting down traps in debug builds: shut it down, then fail with the error.
            try await client.shutdown()
            await receiver.stop()
            throw error
        }
        try await client.shutdown()
        await receiver.stop()
    }

    @Test("webhook URLs are validated, private addresses refused by default, and other tenants' webhooks invisible")
    func registrationRules() async throws {
        try await TestApp(.sqlite, configure: { $0.deliveries.allowPrivate = false }).run { client, _ in
            let tenant = try await client.createTenant()
            for (body, field) in [([:], "url"), (["url": "ftp://example.com/x"], "url"), (["url": "http://127.0.0.1:9/hook"], "url"),
                                  (["url": "http://10.1.2.3/hook"], "url"), (["url": "http://[::1]/hook"], "url"),
                                  (["url": "http://169.254.169.254/latest"], "url"), (["url": "https://example.com", "extra": 1], "extra")] as [(JSONValue, String)] {
                let reply = try await client.send(.post, "/api/v1/webhooks", key: tenant.key, json: body)
                #expect(reply.status == 400 && reply.errorField == field, "\(body): \(reply.status) \(reply.text)")
            }
            let privateReply = try await client.send(.post, "/api/v1/webhooks", key: tenant.key, json: ["url": "http://192.168.1.10/hook"])
            #expect(privateReply.json["error"]?.objectValue?["message"]?.stringValue?.contains("RECOMMENDER_WEBHOOK_ALLOW_PRIVATE") == true)

            // The operator may allow private receivers; tenants stay apart either way.
            let other = try await client.createTenant()
            let operatorHook = try await client.send(.post, "/admin/v1/webhooks", key: TestApp.adminToken, json: ["url": "https://8.8.8.8/hook"])
            #expect(operatorHook.status == 201)
            let hookID = try #require(operatorHook.json["webhook_id"]?.stringValue)
            #expect(try await client.send(.get, "/api/v1/webhooks", key: other.key).json["webhooks"]?.arrayValue?.isEmpty == true)
            #expect(try await client.send(.post, "/api/v1/webhooks/\(hookID)/test", key: other.key).status == 404)
            #expect(try await client.send(.delete, "/api/v1/webhooks/\(hookID)", key: other.key).status == 404)
            #expect(try await client.send(.delete, "/admin/v1/webhooks/\(hookID)", key: TestApp.adminToken).status == 204)
        }
    }
}
