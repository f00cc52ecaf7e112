import Hummingbird
import Synchronization

/// A method and path template the service answers, as listed in the OpenAPI document.
public struct RouteDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP method, e.g. `POST`.
    public let method: String
    /// The path template with `{param}` segments.
    public let path: String

    /// `METHOD /path`.
    public var description: String { "\(method) \(path)" }
}

/// Registers routes on a router group and remembers them, so a test can hold the OpenAPI document to the truth.
public final class RouteRegistrar {
    private let group: RouterGroup<AppRequestContext>
    private let prefix: String
    private let log: RouteLog

    init(group: RouterGroup<AppRequestContext>, prefix: String, log: RouteLog) {
        self.group = group
        self.prefix = prefix
        self.log = log
    }

    /// Adds a route; `path` is relative to the group, with `{param}` segments.
    func on(_ method: HTTPRequest.Method, _ path: String, use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        let full = path.isEmpty ? prefix : prefix + "/" + path
        log.append(RouteDescriptor(method: method.rawValue, path: full))
        group.on(RouterPath(path), method: method, use: handler)
    }
}

/// The routes registered so far, shared by every registrar of one router.
public final class RouteLog: Sendable {
    private let entries = Mutex<[RouteDescriptor]>([])

    /// Creates an empty log.
    public init() {}

    func append(_ route: RouteDescriptor) {
        entries.withLock { $0.append(route) }
    }

    /// Every route registered, in order.
    public var routes: [RouteDescriptor] { entries.withLock { $0 } }
}
