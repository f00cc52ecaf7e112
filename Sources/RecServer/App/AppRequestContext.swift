import Hummingbird
import RecCore
import Synchronization

/// Per-request state shared by middleware and routes: the authenticated key, if any.
public struct AppRequestContext: RequestContext {
    /// Hummingbird's core storage (logger, route, parameters).
    public var coreContext: CoreRequestContextStorage
    /// State shared by every copy of this context along the middleware chain (outer middleware read what inner set).
    public let shared = RequestState()

    /// The caller, once `APIKeyMiddleware` has authenticated the request.
    public var caller: Caller? { shared.caller }

    /// Creates the context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// JSON bodies may be up to 32 MiB (a 10,000-row batch); imports stream and are not bound by this.
    public var maxUploadSize: Int { 32 * 1024 * 1024 }

    /// The authenticated caller, or 401 when the route was reached without one.
    public func requireCaller(_ scope: Scope) throws -> Caller {
        guard let caller else { throw RecError.unauthorized() }
        guard caller.scopes.contains(scope) else {
            throw RecError.forbidden("this API key lacks the '\(scope.rawValue)' scope")
        }
        return caller
    }

    /// The authenticated caller holding any one of `scopes`.
    public func requireCaller(anyOf scopes: [Scope]) throws -> Caller {
        guard let caller else { throw RecError.unauthorized() }
        guard scopes.contains(where: caller.scopes.contains) else {
            throw RecError.forbidden("this API key needs one of the scopes: \(scopes.map(\.rawValue).joined(separator: ", "))")
        }
        return caller
    }
}

/// An authenticated API key: its tenant, its id and what it may do.
public struct Caller: Sendable, Equatable {
    /// The tenant every query of this request is confined to.
    public let tenantID: String
    /// The key's id (never the key).
    public let keyID: String
    /// The key's scopes.
    public let scopes: Set<Scope>
    /// The tenant's own rate limit, if set.
    public let rateLimit: RateLimit?
}

/// A token-bucket rate: sustained requests per second and burst size.
public struct RateLimit: Sendable, Equatable {
    /// Tokens added per second.
    public let perSecond: Double
    /// Bucket capacity.
    public let burst: Int

    /// The rates accepted, in requests per second.
    public static let allowedRates: ClosedRange<Double> = 0.001...10_000_000

    /// Creates a rate; without a burst, one second's worth of requests (at least 1).
    public init(perSecond: Double, burst: Int? = nil) {
        self.perSecond = perSecond
        self.burst = burst ?? max(1, Int(min(perSecond, Self.allowedRates.upperBound)))
    }
}

/// Mutable per-request state behind a reference, so an outer middleware sees the caller an inner one authenticated.
public final class RequestState: Sendable {
    private let value = Mutex<Caller?>(nil)

    /// The authenticated caller, if any.
    public var caller: Caller? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
