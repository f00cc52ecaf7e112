import AsyncHTTPClient
import Logging
import Hummingbird
import RecCore
import RecModels
import RecStore
import RecTelemetry
import ServiceLifecycle
import Synchronization
import Tracing

/// Sends the outbox: claims due deliveries, POSTs each signed body, and records the outcome, retrying with
/// exponential backoff and jitter. Rows survive restarts; a delivery keeps its id across retries so receivers can
/// drop duplicates (a crash between the receiver's answer and the store's update is the one way to get one).
final class WebhookDeliveryService: Service, Sendable {
    private let store: RecordStore
    private let metrics: AlertMetrics
    private let readiness: Readiness
    private let settings: DeliverySettings
    private let policy: WebhookURLPolicy
    /// Woken when deliveries are queued.
    let signal: WakeSignal
    /// When finished deliveries and resolved alerts were last pruned.
    private let lastPrune = Mutex(ContinuousClock.now - .seconds(7_200))
    /// How long delivered and abandoned deliveries and resolved alerts are kept (7 days).
    static let retentionMillis: Int64 = 7 * 86_400_000
    private let logger: Logger

    init(store: RecordStore, metrics: AlertMetrics, readiness: Readiness, settings: DeliverySettings, signal: WakeSignal, logger: Logger) {
        self.store = store
        self.metrics = metrics
        self.readiness = readiness
        self.settings = settings
        self.policy = WebhookURLPolicy(allowPrivate: settings.allowPrivate)
        self.signal = signal
        self.logger = logger
    }

    /// Sends until shutdown; in-flight deliveries finish (or time out) first.
    func run() async throws {
        var configuration = HTTPClient.Configuration()
        // A redirect could lead to a private address the URL check never saw.
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(Int64(settings.timeout.components.seconds)))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await loop(client: client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try? await client.shutdown()
    }

    private func loop(client: HTTPClient) async throws {
        while !readiness.migrated {
            try await Task.sleep(for: .milliseconds(100))
        }
        // On graceful shutdown, stop claiming but let the batch in flight finish (each send is bounded by the timeout):
        // cancelling it would leave its deliveries leased, and late, until the lease ran out.
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let sent = await sendDue(client: client)
            if sent == 0 {
                await signal.wait(for: settings.pollInterval, stopWhen: { Task.isShuttingDownGracefully })
            }
        }
    }

    /// Sends every due delivery (up to a batch), returning how many were attempted.
    func sendDue(client: HTTPClient) async -> Int {
        do {
            let leaseMillis = Int64(settings.timeout.components.seconds) * 1_000 * 3
            let due = try await store.claimDueDeliveries(now: WallClock.nowMillis(), limit: 16, leaseMillis: leaseMillis)
            await withTaskGroup(of: Void.self) { group in
                for delivery in due {
                    group.addTask { await self.send(delivery, client: client) }
                }
            }
            metrics.outboxDepth.set(Double(try await store.pendingDeliveryCount()))
            let now = ContinuousClock.now
            if now - lastPrune.withLock({ $0 }) > .seconds(3_600) {
                lastPrune.withLock { $0 = now }
                try await store.pruneAlertHistory(before: WallClock.nowMillis() - Self.retentionMillis)
            }
            return due.count
        } catch {
            logger.warning("webhook outbox read failed", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            return 0
        }
    }

    private func send(_ delivery: PendingDelivery, client: HTTPClient) async {
        let start = ContinuousClock.now
        let problem = await policy.problem(with: delivery.url)
        let failure: DeliveryFailure? = await withSpan("webhook.deliver", ofKind: .client) { span in
            span.attributes["rec.webhook_id"] = delivery.webhookID
            span.attributes["rec.delivery_id"] = delivery.id
            span.attributes["rec.attempt"] = delivery.attempts + 1
            // A private address is final; a name that does not resolve now may later.
            if case .forbidden(let text) = problem { return .refused(text) }
            if let problem { return .badURL(problem.message) }
            let body = Array(delivery.payload.utf8)
            var request = HTTPClientRequest(url: delivery.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "recommender-webhooks")
            request.headers.add(name: WebhookSignature.header, value: WebhookSignature.sign(body: body, secret: delivery.secret))
            request.headers.add(name: WebhookSignature.deliveryHeader, value: delivery.id)
            request.body = .bytes(ByteBuffer(bytes: body))
            do {
                let response = try await client.execute(request, timeout: .seconds(Int64(settings.timeout.components.seconds)))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                span.attributes["http.response.status_code"] = Int(response.status.code)
                return (200..<300).contains(response.status.code) ? nil : .status(response.status.code)
            } catch {
                return .transport(error)
            }
        }
        metrics.deliveryDuration.record(ContinuousClock.now - start)
        let now = WallClock.nowMillis()
        do {
            guard let failure else {
                try await store.completeDelivery(id: delivery.id, now: now)
                metrics.delivery("delivered")
                logger.info("webhook delivered", metadata: ["delivery": "\(delivery.id)", "webhook": "\(delivery.webhookID)", "attempt": "\(delivery.attempts + 1)"])
                return
            }
            if failure.isPermanent || delivery.attempts + 1 >= settings.maxAttempts {
                try await store.failDelivery(id: delivery.id, error: failure.message, nextAttemptAt: nil)
                metrics.delivery("abandoned")
                logger.warning("webhook delivery abandoned", metadata: ["delivery": "\(delivery.id)", "webhook": "\(delivery.webhookID)", "error": "\(failure)"])
            } else {
                let wait = settings.delay(afterAttempts: delivery.attempts)
                let next = now + Int64(wait.seconds * 1_000)
                try await store.failDelivery(id: delivery.id, error: failure.message, nextAttemptAt: next)
                metrics.delivery("retried")
                logger.info("webhook delivery failed; will retry", metadata: ["delivery": "\(delivery.id)", "webhook": "\(delivery.webhookID)", "attempt": "\(delivery.attempts + 1)", "error": "\(failure)"])
            }
        } catch {
            logger.warning("webhook delivery outcome not stored", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
    }
}
