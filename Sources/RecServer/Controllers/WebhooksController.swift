import Hummingbird
import RecCore
import RecStore

/// Webhooks alerts are sent to: a tenant's own (`/api/v1/webhooks`, scope `manage`) or, mounted under `/admin/v1`,
/// the operator's, which receive every alert.
struct WebhooksController {
    let store: RecordStore
    let policy: WebhookURLPolicy
    let deliveries: WakeSignal
    let externalURL: String
    /// True when mounted on the operator's API.
    let operatorScope: Bool

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "webhooks", use: create)
        routes.on(.get, "webhooks", use: list)
        routes.on(.delete, "webhooks/{webhook_id}", use: delete)
        routes.on(.post, "webhooks/{webhook_id}/test", use: test)
    }

    /// The tenant the request acts for: nil for the operator.
    private func owner(_ context: AppRequestContext) throws -> String? {
        operatorScope ? nil : try context.requireCaller(.manage).tenantID
    }

    struct WebhookPayload: Encodable {
        let webhook_id: String
        let url: String
        let created_at: String

        init(_ webhook: Webhook) {
            webhook_id = webhook.id
            url = webhook.url
            created_at = Timestamp.formatRFC3339(webhook.createdAt)
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenantID = try owner(context)
        var reader = FieldReader(try await BatchBody.json(request, context: context), path: "")
        let url = reader.optionalString("url", maxBytes: 2_048)
        reader.rejectUnknownKeys(["url"])
        if url == nil, reader.errors.isEmpty { reader.fail("url", "is required") }
        if let first = reader.errors.first { throw RecError.invalidField(first.field, first.message) }
        guard let url else { throw RecError.invalidField("url", "is required") }
        if let problem = await policy.problem(with: url) { throw RecError.invalidField("url", problem.message) }
        guard try await store.webhooks(tenantID: tenantID).count < 20 else {
            throw RecError.conflict("at most 20 webhooks; delete one first")
        }
        let webhook = Webhook(
            id: Identifier.random(prefix: "wh"), tenantID: tenantID, url: url,
            secret: "whsec_" + Identifier.randomHex(bytes: 24), createdAt: WallClock.nowMillis()
        )
        try await store.createWebhook(webhook)
        struct Created: Encodable {
            let webhook_id: String
            let url: String
            let secret: String
            let created_at: String
        }
        return try JSONResponse.make(.created, Created(webhook_id: webhook.id, url: url, secret: webhook.secret, created_at: Timestamp.formatRFC3339(webhook.createdAt)))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenantID = try owner(context)
        struct List: Encodable { let webhooks: [WebhookPayload] }
        return try JSONResponse.make(.ok, List(webhooks: try await store.webhooks(tenantID: tenantID).map(WebhookPayload.init)))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenantID = try owner(context)
        guard try await store.deleteWebhook(id: PathID.require(context, "webhook_id"), tenantID: tenantID) else { throw RecError.notFound("webhook") }
        return Response(status: .noContent)
    }

    /// Sends a test alert through the same path as real ones (outbox, signature, payload shape).
    @Sendable func test(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenantID = try owner(context)
        guard let webhook = try await store.webhook(id: PathID.require(context, "webhook_id"), tenantID: tenantID) else { throw RecError.notFound("webhook") }
        let now = WallClock.nowMillis()
        let condition = AlertCondition(
            name: "WebhookTest", severity: "none", tenantID: tenantID, labels: ["webhook_id": webhook.id],
            annotations: ["summary": "A test alert, sent on request.", "description": "Sent by POST /webhooks/\(webhook.id)/test; no action is needed."]
        )
        let alert = condition.firing(since: now)
        let id = try await store.enqueueDelivery(
            webhook: webhook, event: "test:\(Identifier.randomHex(bytes: 8))",
            payload: AlertPayload.json(webhook: webhook, alert: alert, externalURL: externalURL), now: now
        )
        deliveries.wake()
        struct Queued: Encodable {
            let delivery_id: String
            let status: String
        }
        return try JSONResponse.make(.accepted, Queued(delivery_id: id, status: "queued"))
    }
}
