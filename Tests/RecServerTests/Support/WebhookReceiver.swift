import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import RecServer
import Synchronization

/// A webhook receiver on a loopback port, as a customer would write one: it checks `X-Recommender-Signature` against
/// the secret it was given (401 otherwise) and keeps what it accepted.
final class WebhookReceiver: Sendable {
    /// One accepted delivery.
    struct Delivery: Sendable {
        let id: String
        let body: [UInt8]
        /// The body as JSON.
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }
        /// `alerts[0]`.
        var alert: [String: Any] { ((json["alerts"] as? [[String: Any]])?.first) ?? [:] }
        /// `alerts[0].labels`.
        var labels: [String: String] { (alert["labels"] as? [String: String]) ?? [:] }
    }

    let port: Int
    private let secret = Mutex<String>("")
    private let accepted = Mutex<[Delivery]>([])
    private let rejected = Atomic<Int>(0)
    private let running = Mutex<(group: ServiceGroup, task: Task<Void, any Error>)?>(nil)

    init(port: Int = Int.random(in: 20_000..<60_000)) {
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)/hooks/alerts" }

    /// Sets the secret signatures must verify with.
    func expect(secret value: String) {
        secret.withLock { $0 = value }
    }

    /// Deliveries accepted so far.
    var deliveries: [Delivery] { accepted.withLock { $0 } }

    /// Requests refused for a bad signature.
    var rejections: Int { rejected.load(ordering: .relaxed) }

    /// Starts listening and waits until the port accepts connections.
    func start() async throws {
        let router = Router()
        router.post("hooks/alerts") { request, _ -> Response in
            let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
            let signature = request.headers[.init(WebhookSignature.header)!] ?? ""
            guard WebhookSignature.verify(body: body, signature: signature, secret: self.secret.withLock { $0 }) else {
                self.rejected.add(1, ordering: .relaxed)
                return Response(status: .unauthorized)
            }
            let id = request.headers[.init(WebhookSignature.deliveryHeader)!] ?? ""
            self.accepted.withLock { $0.append(Delivery(id: id, body: body)) }
            return Response(status: .noContent)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        // Stopped by a graceful shutdown, which closes the listening socket before the connections: cancelling the
        // server instead races connections still arriving (a webhook retry), which NIO traps on in debug builds.
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "webhook-receiver")))
        running.withLock { $0 = (group, Task { try await group.run() }) }
        for _ in 0..<100 {
            if Self.accepts(port: port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("the webhook receiver did not start")
    }

    /// Stops listening.
    func stop() async {
        guard let running = running.withLock({ $0 }) else { return }
        await running.group.triggerGracefulShutdown()
        _ = try? await running.task.value
    }

    /// Waits until `check` holds for the accepted deliveries, or `timeout` passes.
    func waitFor(timeout: Duration = .seconds(20), _ check: ([Delivery]) -> Bool) async -> [Delivery] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if check(deliveries) { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return deliveries
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
