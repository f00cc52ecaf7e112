import AsyncHTTPClient
import Foundation
import Logging
import RecCore
@testable import RecServer
import RecStore
import RecTelemetry
import RecTesting
import Testing

/// The outbox's verdict on a failed attempt: final for a forbidden address, retried for a failure on the way.
@Suite("Webhook delivery outcomes")
struct WebhookDeliveryTests {
    @Test("a delivery to a forbidden address is abandoned at its first attempt; one that fails in transit is retried")
    func refusedIsFinal() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await TestStore.sqlite.withRecordStore { records throws in
                let telemetry = Telemetry()
                // Nothing listens on port 1: with private addresses allowed, the attempt fails to connect.
                for allowPrivate in [false, true] {
                    var settings = DeliverySettings()
                    settings.allowPrivate = allowPrivate
                    settings.timeout = .seconds(2)
                    settings.baseDelay = .seconds(60)
                    let service = WebhookDeliveryService(
                        store: records, metrics: telemetry.alerts, readiness: Readiness(), settings: settings, signal: WakeSignal(),
                        logger: Logger(label: "test")
                    )
                    let webhook = Webhook(id: Identifier.random(prefix: "wh"), tenantID: "t_test", url: "http://127.0.0.1:1/hook", secret: "s", createdAt: 1)
                    try await records.createWebhook(webhook)
                    _ = try await records.enqueueDelivery(webhook: webhook, event: "test", payload: "{}", now: WallClock.nowMillis())
                    #expect(await service.sendDue(client: client) == 1)
                }
                let text = String(decoding: telemetry.exposition(), as: UTF8.self)
                #expect(text.contains("rec_webhook_deliveries_total{outcome=\"abandoned\"} 1"), "the refused one is final")
                #expect(text.contains("rec_webhook_deliveries_total{outcome=\"retried\"} 1"), "the unreachable one is retried")
                #expect(try await records.pendingDeliveryCount() == 1)
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
