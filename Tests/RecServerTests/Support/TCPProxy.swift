import NIOCore
import NIOPosix
import Synchronization

/// A loopback TCP proxy in front of a server (the test database), which a test can cut, as a database outage or a
/// network partition looks to the service: every open connection is dropped mid-stream and new ones are closed at
/// once, until it is restored.
final class TCPProxy: Sendable {
    private let targetHost: String
    private let targetPort: Int
    /// One loop, so the two sides of a connection share it (the process-wide group: nothing to shut down).
    private let loop = MultiThreadedEventLoopGroup.singleton.next()
    private let state = Mutex<(open: Bool, connections: [any Channel], listener: (any Channel)?)>((true, [], nil))

    init(targetHost: String, targetPort: Int) {
        self.targetHost = targetHost
        self.targetPort = targetPort
    }

    /// Starts listening on a free loopback port and returns it.
    func start() async throws -> Int {
        let listener = try await ServerBootstrap(group: loop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { [self] inbound in
                self.accept(inbound)
            }
            .bind(host: "127.0.0.1", port: 0).get()
        state.withLock { $0.listener = listener }
        return listener.localAddress?.port ?? 0
    }

    /// Drops every connection and refuses new ones (each is closed as soon as it is accepted).
    func cut() {
        let open = state.withLock { state -> [any Channel] in
            state.open = false
            defer { state.connections = [] }
            return state.connections
        }
        for channel in open { channel.close(promise: nil) }
    }

    /// Lets connections through again.
    func restore() {
        state.withLock { $0.open = true }
    }

    /// Closes everything.
    func stop() async {
        cut()
        let listener = state.withLock { $0.listener }
        try? await listener?.close()
    }

    private func accept(_ inbound: any Channel) -> EventLoopFuture<Void> {
        guard state.withLock({ $0.open }) else { return inbound.close() }
        let host = targetHost, port = targetPort
        return ClientBootstrap(group: inbound.eventLoop)
            .connect(host: host, port: port)
            .flatMap { outbound in
                let tracked = self.state.withLock { state -> Bool in
                    guard state.open else { return false }
                    state.connections += [inbound, outbound]
                    return true
                }
                guard tracked else {
                    outbound.close(promise: nil)
                    return inbound.close()
                }
                return inbound.pipeline.addHandler(Relay(partner: outbound))
                    .flatMap { outbound.pipeline.addHandler(Relay(partner: inbound)) }
                    .flatMap { inbound.setOption(.autoRead, value: true) }
            }
            .flatMapError { _ in inbound.close() }
    }

    /// Forwards what one side reads to the other, and closes the other when this side closes.
    private final class Relay: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer

        let partner: any Channel

        init(partner: any Channel) {
            self.partner = partner
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            partner.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
