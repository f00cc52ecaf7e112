/// What an SLO counts as good and total events.
public enum SLOIndicator: Sendable, Equatable {
    /// Requests to `routes` (any of `methods`, or all when empty) that did not end in a 5xx.
    case availability(routes: [String], methods: [String])
    /// Requests to `routes` answered within `threshold` seconds (a bucket boundary of the duration histogram).
    case latency(routes: [String], methods: [String], threshold: Double)
    /// Samples, taken every evaluation, of tenants with a training schedule whose serving model is younger than the
    /// schedule's interval plus `grace` seconds.
    case freshness(grace: Double)
    /// Recommendation lists ranked by a model (or a fold-in) rather than the popularity fallback.
    case personalisation

    /// The indicator's kind, as written in the spec.
    public var kind: String {
        switch self {
        case .availability: "availability"
        case .latency: "latency"
        case .freshness: "freshness"
        case .personalisation: "personalisation"
        }
    }

    /// Whether a request to `route` with `method` is one of this indicator's events.
    func matches(route: String, method: String) -> Bool {
        switch self {
        case .availability(let routes, let methods), .latency(let routes, let methods, _):
            routes.contains(route) && (methods.isEmpty || methods.contains(method))
        case .freshness, .personalisation:
            false
        }
    }
}
