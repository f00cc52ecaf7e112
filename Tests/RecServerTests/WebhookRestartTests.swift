import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RecCore
import RecServer
import RecTesting
import Testing

/// The outbox across a crash: an alert raised while its receiver is down survives the service being killed, and the
/// next start delivers it once.
@Suite("Alert webhooks across a restart")
struct WebhookRestartTests {
    static let environment = [
        "RECOMMENDER_ADMIN_TOKEN": TestApp.adminToken, "RECOMMENDER_LOG_LEVEL": "warning", "RECOMMENDER_WEBHOOK_ALLOW_PRIVATE": "1",
        "RECOMMENDER_WEBHOOK_RETRY_BASE_MS": "200", "RECOMMENDER_ALERT_INTERVAL_MS": "200",
    ]

    /// Sends a JSON request and returns the status and the body as an object.
    static func call(_ client: HTTPClient, _ server: ServerProcess, _ method: HTTPMethod, _ path: String, key: String, body: String? = nil) async throws -> (Int, [String: JSONValue]) {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONDecoder().decode([String: JSONValue].self, from: Data(buffer: bytes))) ?? [:])
    }

    @Test("killed while the receiver is down, the service delivers the alert exactly once after restarting")
    func deliveredOnceAfterKill() async throws {
        let directory = try TestStore.temporaryDirectory()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let receiver = WebhookReceiver()
        let first = ServerProcess(dataDirectory: directory, environment: Self.environment)
        let second = ServerProcess(dataDirectory: directory, environment: Self.environment)
        do {
            try await first.start(client: client)
            let (_, tenant) = try await Self.call(client, first, .POST, "/admin/v1/tenants", key: TestApp.adminToken, body: #"{"name":"restart"}"#)
            let key = try #require(tenant["api_key"]?.stringValue)
            let (status, hook) = try await Self.call(client, first, .POST, "/api/v1/webhooks", key: key, body: #"{"url":"\#(receiver.url)"}"#)
            #expect(status == 201)
            receiver.expect(secret: try #require(hook["secret"]?.stringValue))

            // A training with no data fails: TrainingFailed fires, and its delivery fails against the closed port.
            let (_, job) = try await Self.call(client, first, .POST, "/api/v1/models/train", key: key, body: #"{"model":"popularity"}"#)
            let jobID = try #require(job["job_id"]?.stringValue)
            var retried = false
            for _ in 0..<300 where !retried {
                try await Task.sleep(for: .milliseconds(100))
                let metrics = try await client.execute(HTTPClientRequest(url: first.baseURL + "/metrics"), timeout: .seconds(5))
                let text = String(buffer: try await metrics.body.collect(upTo: 1 << 22))
                // The counter exists from the start at 0: wait for a failed attempt to count.
                let line = text.split(separator: "\n").first { $0.hasPrefix("rec_webhook_deliveries_total{outcome=\"retried\"}") }
                retried = (line?.split(separator: " ").last).flatMap { Double($0) }.map { $0 >= 1 } ?? false
            }
            #expect(retried, "the delivery was attempted and failed before the kill")
            let (_, finished) = try await Self.call(client, first, .GET, "/api/v1/jobs/\(jobID)", key: key)
            #expect(finished["status"] == "failed")

            first.signal(SIGKILL)
            _ = await first.waitForExit()

            try await receiver.start()
            try await second.start(client: client)
            // Up to the claim lease (30 s, if the kill landed mid-attempt) plus the backoff reached before the kill.
            let delivered = await receiver.waitFor(timeout: .seconds(90)) { $0.contains { $0.labels["alertname"] == "TrainingFailed" } }
            #expect(delivered.count == 1, "\(delivered.map(\.labels))")
            // Retries and alert evaluations keep running: still exactly one notification a while later.
            try await Task.sleep(for: .seconds(2))
            let later = receiver.deliveries.filter { $0.labels["alertname"] == "TrainingFailed" }
            #expect(later.count == 1)
            #expect(later.first?.json["status"] as? String == "firing")
            #expect(receiver.rejections == 0)
        } catch {
            _ = await first.terminate()
            _ = await second.terminate()
            await receiver.stop()
            try await client.shutdown()
            throw error
        }
        _ = await second.terminate()
        await receiver.stop()
        try await client.shutdown()
    }
}
